"""The workflow in the article admin: who may edit an article in which state, the state an
article takes from its issue, corrections of approved or published texts, and the small
草稿 ⇄ 校对中 workflow of an article not yet in an issue.

Rules are bulletin/workflow.py's. An article in an issue moves with its issue (the issue's
buttons); refused edits are a 403 whatever the page showed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from bulletin.workflow import (
    ARTICLE_TRANSITIONS,
    Status,
    WorkflowError,
    available,
    check_may_edit,
    check_may_run,
    editable_status,
    may_edit,
)

from .models import Article
from .services import run_article_transition

CORRECTABLE = (Status.APPROVED, Status.PUBLISHED)


class CommentForm(forms.Form):
    comment = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))


class ArticleWorkflowAdminMixin:
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, editable_status(obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None
            or (
                editable_status(obj) == Status.DRAFT
                and may_edit(request.user, editable_status(obj))
            )
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class IssueCheckingForm(form):
            def clean_issue(self):
                # Said here as a message; save_model refuses a crafted request all the same.
                issue = self.cleaned_data.get("issue")
                if issue is not None and not may_edit(user, issue.status):
                    raise forms.ValidationError(
                        f"{issue.display_title}处于“{issue.get_status_display()}”状态，"
                        "您不能把稿件编入或移出这一期。"
                    )
                return issue

        return IssueCheckingForm

    def save_model(self, request, obj, form, change):
        if obj.issue_id:
            # Moving an article into an issue is an edit of that issue, and the article takes
            # the issue's state.
            issue = obj.issue
            check_may_edit(request.user, issue.status)
            obj.status = issue.status
        elif not change or "issue" in form.changed_data:
            obj.status = Status.DRAFT
        if (
            editable_status(obj) in CORRECTABLE
            and "correction_note" in form.changed_data
            and obj.correction_note
        ):
            obj.corrected_at = timezone.now()
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.transition_view)
        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                view,
                name="articles_article_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None and not article.issue_id:
            extra_context = {
                **(extra_context or {}),
                "workflow_buttons": [
                    {
                        "label": t.label,
                        "url": reverse(
                            "admin:articles_article_transition", args=[article.pk, t.name]
                        ),
                    }
                    for t in available(request.user, article.status, ARTICLE_TRANSITIONS)
                ],
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        article = get_object_or_404(Article, pk=object_id)
        if name not in ARTICLE_TRANSITIONS or not self.has_view_permission(request, article):
            raise PermissionDenied
        transition = ARTICLE_TRANSITIONS[name]
        change_url = reverse("admin:articles_article_change", args=[article.pk])
        try:
            if article.issue_id:
                raise WorkflowError("这篇稿件已编入期刊，随期刊一起流转，请在期刊页面操作。")
            check_may_run(request.user, transition, article.status)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(change_url)
        form = (
            CommentForm(request.POST if request.method == "POST" else None)
            if transition.needs_comment
            else None
        )
        if request.method == "POST" and (form is None or form.is_valid()):
            comment = form.cleaned_data["comment"] if form else ""
            try:
                with transaction.atomic():
                    article = run_article_transition(
                        article=article, name=name, user=request.user, comment=comment
                    )
                    self.log_change(request, article, f"{transition.label} {comment}".strip())
            except WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"“{article.title}”：已{transition.label}。")
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"{transition.label}：{article.title}",
            "transition": transition,
            "form": form,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/workflow_transition.html", context)
