"""本期校对记录: what was changed in an issue's articles since the issue entered proofing.

The moment is the latest IssueTransition to 校对中. Submitting keeps one revision holding every
article of the issue (issues/services.py, comment "提交校对"); each article is compared from the
revision current at that moment to the article as it is now. An article added to the issue
afterwards is listed as new, compared with nothing.

The issue admin's edit-conflict diff (bulletin/concurrent_admin.py's hook) is here too: it adds
the section order and the staff credits to the issue's own fields.
"""

import datetime
from types import SimpleNamespace

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from articles.diffs import diff_snapshots, diff_text
from articles.history_admin import article_snapshot, version_snapshot
from articles.models import Section
from bulletin.concurrent_admin import time_label, user_label
from people.models import Person

from .models import CreditRole, IssueCredit, IssueSection, IssueStatus

SUBMIT_COMMENT = "提交校对"
# The submit revision and the transition record are written moments apart in one service call.
SUBMIT_WINDOW = datetime.timedelta(minutes=5)


def proofing_started(issue):
    """The latest transition that put ``issue`` into 校对中, or None."""
    return (
        issue.transitions.filter(to_status=IssueStatus.PROOFING)
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )


def base_version(article, at):
    """The revision of ``article`` current when proofing started at ``at``: the submit snapshot
    taken with that transition if there is one, else the latest revision before ``at``."""
    versions = Version.objects.get_for_object(article).select_related("revision__user")
    submitted = (
        versions.filter(
            revision__comment=SUBMIT_COMMENT,
            revision__date_created__gte=at - SUBMIT_WINDOW,
            revision__date_created__lte=at + SUBMIT_WINDOW,
        )
        .order_by("-revision__date_created", "-pk")
        .first()
    )
    if submitted is not None:
        return submitted
    return (
        versions.filter(revision__date_created__lte=at)
        .order_by("-revision__date_created", "-pk")
        .first()
    )


def proofing_changes(issue):
    """The articles of ``issue`` changed since it entered proofing, in print order."""
    started = proofing_started(issue)
    if started is None:
        return started, []
    entries = []
    articles = issue.articles.select_related("section").in_print_order()
    for article in articles:
        base = base_version(article, started.at)
        old = version_snapshot(base) if base is not None else {}
        changes = diff_snapshots(old, article_snapshot(article))
        if not changes:
            continue
        latest = (
            Version.objects.get_for_object(article)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
            .first()
        )
        entries.append(
            {
                "article": article,
                "is_new": base is None,
                "changes": changes,
                "last_user": user_label(latest.revision.user) if latest else "",
                "last_when": time_label(latest.revision.date_created) if latest else "",
            }
        )
    return started, entries


def _section_lines(entries):
    return "\n".join(f"{e['order']}. {e['name']}" for e in entries)


def _credit_lines(entries):
    roles = dict(CreditRole.choices)
    return "\n".join(f"{roles.get(e['role'], e['role'])}：{e['name']}" for e in entries)


def _inline_state_from_version(version):
    """Section order and credits kept in ``version``'s revision (the issue follows both)."""
    issue_id = int(version.object_id)
    sections, credits = [], []
    for model, bucket in ((IssueSection, sections), (IssueCredit, credits)):
        for candidate in Version.objects.get_for_model(model).filter(
            revision_id=version.revision_id
        ):
            data = candidate.field_dict
            if data.get("issue_id") == issue_id:
                bucket.append(data)
    names = dict(
        Section.objects.filter(pk__in=[s["section_id"] for s in sections]).values_list("pk", "name")
    )
    people = dict(
        Person.objects.filter(pk__in=[c["person_id"] for c in credits]).values_list("pk", "name")
    )
    sections.sort(key=lambda d: (d["order"], d["id"]))
    credits.sort(key=lambda d: (d["role"], d["order"], d["id"]))
    return (
        [{"order": s["order"], "name": names.get(s["section_id"], "？")} for s in sections],
        [{"role": c["role"], "name": people.get(c["person_id"], "？")} for c in credits],
    )


def _inline_state(issue):
    sections = [
        {"order": e.order, "name": e.section.name}
        for e in issue.section_entries.select_related("section").order_by("order", "pk")
    ]
    credits = [
        {"role": c.role, "name": c.person.name}
        for c in issue.credits.select_related("person").order_by("role", "order", "pk")
    ]
    return sections, credits


class ProofingReportAdminMixin:
    """The issue admin's 本期校对记录 page, and its inline-aware edit-conflict diff."""

    proofing_changes_template = "admin/issues/issue/proofing_changes.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.proofing_changes_view)
        return [
            path(
                "<path:object_id>/proofing-changes/",
                view,
                name="issues_issue_proofing_changes",
            ),
            *super().get_urls(),
        ]

    def proofing_changes_view(self, request, object_id):
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        in_proofing_or_later = issue.status != IssueStatus.DRAFT
        started, entries = proofing_changes(issue) if in_proofing_or_later else (None, [])
        context = {
            **self.admin_site.each_context(request),
            "title": f"本期校对记录：{issue.display_title}",
            "subtitle": None,
            "opts": self.opts,
            "original": issue,
            "in_proofing_or_later": in_proofing_or_later,
            "started": started,
            "started_when": time_label(started.at) if started else "",
            "started_by": user_label(started.user) if started and started.user else "系统",
            "entries": entries,
            "change_url": reverse(f"{self.admin_site.name}:issues_issue_change", args=[issue.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.proofing_changes_template, context)

    def edit_conflict_changes(self, request, current, base_version, form):
        changes = list(super().edit_conflict_changes(request, current, base_version, form))
        if base_version is None:
            return changes
        old_sections, old_credits = _inline_state_from_version(base_version)
        new_sections, new_credits = _inline_state(current)
        for label, old, new in (
            ("本期栏目顺序", _section_lines(old_sections), _section_lines(new_sections)),
            ("本期编辑人员", _credit_lines(old_credits), _credit_lines(new_credits)),
        ):
            if old != new:
                changes.append(SimpleNamespace(label=label, html=diff_text(old, new)))
        return changes
