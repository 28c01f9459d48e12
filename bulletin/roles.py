"""The editorial groups and what each may do in the admin.

Permissions are named "app_label.action_model". The workflow's own rights (issues.submit_issue,
issues.proofread_issue, issues.approve_issue, articles.correct_article) decide who moves an
issue on and who may edit it in which state (bulletin/workflow.py). setup_roles makes each
group hold exactly the permissions listed here, so re-running it after this file changes
brings the database in line. A user may be in several groups; their rights add up.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

VIEW = ["view"]
EDIT = ["add", "change", "view"]
FULL = ["add", "change", "delete", "view"]


def _perms(app_label, model, actions):
    return [f"{app_label}.{action}_{model}" for action in actions]


ROLES = {
    # Editors enter articles, authors and sections, assemble issues while they are drafts and
    # submit them for proofing.
    "编辑": [
        "issues.submit_issue",
        *_perms("articles", "article", FULL),
        *_perms("articles", "authorship", FULL),
        *_perms("articles", "articleimage", FULL),
        *_perms("articles", "section", EDIT),
        *_perms("issues", "issue", EDIT),
        *_perms("issues", "issuesection", FULL),
        *_perms("issues", "issuecredit", FULL),
        *_perms("issues", "issuetransition", VIEW),
        *_perms("people", "person", EDIT),
        *_perms("people", "organisation", EDIT),
        *_perms("bulletin", "publication", VIEW),
    ],
    # Proofreaders correct texts and author lines while an issue is being proofed, then pass it
    # on to the approver or return it; they do not create or delete.
    "核稿": [
        "issues.proofread_issue",
        *_perms("articles", "article", ["change", "view"]),
        *_perms("articles", "authorship", FULL),
        *_perms("articles", "articleimage", ["change", "view"]),
        *_perms("articles", "section", VIEW),
        *_perms("issues", "issue", ["change", "view"]),
        *_perms("issues", "issuesection", VIEW),
        *_perms("issues", "issuecredit", VIEW),
        *_perms("issues", "issuetransition", VIEW),
        *_perms("people", "person", VIEW),
        *_perms("people", "organisation", VIEW),
    ],
    # The approver signs issues off, publishes them now or at a set time, may unpublish, and
    # alone may correct an approved or published text.
    "签发": [
        "issues.approve_issue",
        "articles.correct_article",
        *_perms("issues", "issue", ["change", "view"]),
        *_perms("issues", "issuesection", FULL),
        *_perms("issues", "issuecredit", FULL),
        *_perms("issues", "issuetransition", VIEW),
        *_perms("articles", "article", ["change", "view"]),
        *_perms("articles", "authorship", FULL),
        *_perms("articles", "articleimage", ["change", "view"]),
        *_perms("articles", "section", VIEW),
        *_perms("people", "person", VIEW),
        *_perms("people", "organisation", VIEW),
        *_perms("bulletin", "publication", ["change", "view"]),
    ],
    # Distribution staff keep the recipient list and read issues to know what goes out;
    # nothing editorial.
    "发行": [
        *_perms("people", "recipientgroup", FULL),
        *_perms("people", "recipient", FULL),
        *_perms("people", "organisation", EDIT),
        *_perms("people", "person", EDIT),
        *_perms("issues", "issue", VIEW),
        # The per-issue record of what was sent (corrections by hand); editors never see it.
        *_perms("issues", "issuedistribution", ["change", "view"]),
        *_perms("issues", "distributionentry", FULL),
    ],
}


def _permission(codename_path):
    app_label, codename = codename_path.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as exc:
        raise LookupError(f"Permission {codename_path} does not exist; run migrate first.") from exc


@transaction.atomic
def setup_roles():
    """Create or update the groups; return {group name: number of permissions}."""
    result = {}
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(c) for c in codenames])
        result[name] = len(codenames)
    return result
