"""An article's revisions in the admin: the 修改历史 page, the diff of any two, and restoring one.

Revisions are django-reversion's (an article follows its authorships, see apps.py). The article
admin's "历史" link opens this page instead of Django's plain log. Restoring is an edit: it asks
the admin's own ``has_change_permission`` (where the workflow's rules live), brings back the
article's text fields and author list only (never its state, issue or order, which belong to the
workflow), and is itself recorded as a new revision.
"""

import reversion
from concurrency.exceptions import RecordModifiedError
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.models import Version

from bulletin.concurrent_admin import time_label, user_label
from people.models import Organisation, Person

from .diffs import author_line, diff_snapshots, page_range
from .models import AuthorRole, Authorship, Section

# What a restore brings back (attnames); the author list is restored with them.
RESTORED_FIELDS = [
    "kicker",
    "title",
    "subtitle",
    "body",
    "summary",
    "section_id",
    "start_page",
    "end_page",
    "source",
    "author_note",
    "correction_note",
]

CURRENT = "current"  # the history page's name for the article as it is now


def _role_label(role):
    try:
        return AuthorRole(role).label if role else ""
    except ValueError:
        return role


def article_snapshot(article):
    """The compared fields of a live article (articles/diffs.py's snapshot)."""
    authorships = article.authorships.select_related("person", "organisation").order_by(
        "order", "pk"
    )
    return {
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "section": str(article.section) if article.section_id else "",
        "pages": page_range(article.start_page, article.end_page),
        "authors": author_line((_role_label(a.role), a.display_name) for a in authorships),
        "source": article.source,
        "author_note": article.author_note,
        "correction_note": article.correction_note,
        "body": article.body,
    }


def authorship_versions(version):
    """The authorships kept in ``version``'s revision for that article, in printed order."""
    article_id = int(version.object_id)
    found = []
    for candidate in Version.objects.get_for_model(Authorship).filter(
        revision_id=version.revision_id
    ):
        data = candidate.field_dict
        if data.get("article_id") == article_id:
            found.append(data)
    return sorted(found, key=lambda d: (d.get("order") or 0, d.get("id") or 0))


def _name_of(model, pk):
    obj = model._base_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else f"（已删除的{model._meta.verbose_name}）"


def version_snapshot(version):
    """The compared fields of an article as a reversion Version kept them."""
    data = version.field_dict
    section_id = data.get("section_id")
    authors = []
    for entry in authorship_versions(version):
        name = entry.get("printed_name")
        if not name and entry.get("person_id"):
            name = _name_of(Person, entry["person_id"])
        elif not name and entry.get("organisation_id"):
            name = _name_of(Organisation, entry["organisation_id"])
        authors.append((_role_label(entry.get("role")), name or ""))
    return {
        "title": data.get("title", ""),
        "kicker": data.get("kicker", ""),
        "subtitle": data.get("subtitle", ""),
        "section": _name_of(Section, section_id) if section_id else "",
        "pages": page_range(data.get("start_page"), data.get("end_page")),
        "authors": author_line(authors),
        "source": data.get("source", ""),
        "author_note": data.get("author_note", ""),
        "correction_note": data.get("correction_note", ""),
        "body": data.get("body", ""),
    }


def form_snapshot(form, current):
    """What a posted article form holds (its own values over the current ones)."""
    snapshot = article_snapshot(current)
    data = form.cleaned_data
    for key in ("title", "kicker", "subtitle", "source", "author_note", "correction_note", "body"):
        if key in data:
            snapshot[key] = data[key] or ""
    if data.get("section") is not None:
        snapshot["section"] = str(data["section"])
    if "start_page" in data or "end_page" in data:
        snapshot["pages"] = page_range(
            data.get("start_page", current.start_page), data.get("end_page", current.end_page)
        )
    return snapshot


def restore_article(article, version):
    """Bring ``article``'s text and author list back to ``version``; returns notes for the
    editor about what could not be restored. Call inside a transaction and a revision."""
    notes = []
    data = version.field_dict
    for attname in RESTORED_FIELDS:
        if attname not in data:
            continue
        if attname == "section_id" and not Section.objects.filter(pk=data[attname]).exists():
            notes.append("当时的栏目已被删除，栏目保持不变。")
            continue
        setattr(article, attname, data[attname])
    # Authors first: the article's own save then records them as they end up.
    kept = []
    for entry in authorship_versions(version):
        person_id, organisation_id = entry.get("person_id"), entry.get("organisation_id")
        missing = (person_id and not Person.objects.filter(pk=person_id).exists()) or (
            organisation_id and not Organisation.objects.filter(pk=organisation_id).exists()
        )
        if missing:
            notes.append(
                f"署名“{entry.get('printed_name') or entry.get('id')}”的作者已被删除，未恢复。"
            )
            continue
        fields = {k: v for k, v in entry.items() if k in _AUTHORSHIP_ATTNAMES}
        authorship = Authorship(**{**fields, "article_id": article.pk})
        authorship.save()
        kept.append(authorship.pk)
    article.authorships.exclude(pk__in=kept).delete()
    article.save()
    return notes


_AUTHORSHIP_ATTNAMES = {f.attname for f in Authorship._meta.concrete_fields}


class ArticleHistoryAdminMixin:
    """The article admin's 修改历史 page (replacing Django's history view) and restore."""

    history_template = "admin/articles/article/history.html"

    def get_urls(self):
        restore = self.admin_site.admin_view(self.restore_view)
        return [
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                restore,
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _versions(self, article):
        return list(
            Version.objects.get_for_object(article)
            .select_related("revision__user")
            .order_by("-revision__date_created", "-pk")
        )

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = self._versions(article)
        by_id = {str(v.pk): v for v in versions}
        old_key = request.GET.get("old") or (str(versions[1].pk) if len(versions) > 1 else "")
        new_key = request.GET.get("new") or (str(versions[0].pk) if versions else "")

        def choose(key):
            if key == CURRENT:
                return "当前内容", article_snapshot(article)
            version = by_id.get(key)
            if version is None:
                return None, None
            label = (
                f"{time_label(version.revision.date_created)} {user_label(version.revision.user)}"
            )
            return label, version_snapshot(version)

        old_label, old = choose(old_key)
        new_label, new = choose(new_key)
        if (request.GET.get("old") or request.GET.get("new")) and (old is None or new is None):
            messages.warning(request, "所选版本不属于这篇稿件，请重新选择。")
        comparison = None
        if old is not None and new is not None:
            comparison = {
                "old_label": old_label,
                "new_label": new_label,
                "changes": diff_snapshots(old, new),
            }
        can_restore = self.has_change_permission(request, article)
        rows = [
            {
                "version": v,
                "user": user_label(v.revision.user) if v.revision.user else "系统",
                "when": time_label(v.revision.date_created),
                "comment": v.revision.get_comment(),
                "restore_url": reverse(
                    f"{self.admin_site.name}:articles_article_restore", args=[article.pk, v.pk]
                ),
                "is_latest": index == 0,
            }
            for index, v in enumerate(versions)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"修改历史：{article}",
            "subtitle": None,
            "opts": self.opts,
            "original": article,
            "object": article,
            "rows": rows,
            "old_key": old_key,
            "new_key": new_key,
            "current_key": CURRENT,
            "comparison": comparison,
            "can_restore": can_restore,
            "change_url": reverse(
                f"{self.admin_site.name}:articles_article_change", args=[article.pk]
            ),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.history_template, context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        version = Version.objects.get_for_object(article).filter(pk=version_id).first()
        if version is None:
            raise Http404
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        history_url = reverse(f"{self.admin_site.name}:articles_article_history", args=[article.pk])
        comment = f"恢复到{time_label(version.revision.date_created)}的版本"
        try:
            with transaction.atomic(), reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(comment)
                notes = restore_article(article, version)
                self.log_change(request, article, comment)
                reversion.set_comment(comment)
        except RecordModifiedError:
            messages.error(request, "恢复失败：这篇稿件刚刚被他人修改，请查看最新内容后重试。")
            return redirect(history_url)
        messages.success(request, f"已{comment}，并记为一个新的版本。")
        for note in notes:
            messages.warning(request, note)
        return redirect(history_url)

    def edit_conflict_changes(self, request, current, base_version, form):
        """The article's own diff for the edit-conflict panel (bulletin/concurrent_admin.py)."""
        old = version_snapshot(base_version) if base_version else form_snapshot(form, current)
        return diff_snapshots(old, article_snapshot(current))
