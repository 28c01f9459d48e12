"""The workflow in the issue admin: state buttons, their confirmation pages, the transition log,
and who may edit an issue (and its inlines) in which state.

The rules are bulletin/workflow.py's and the writes issues/services.py's; this module only asks
and calls. A refused edit or transition is a 403 whatever the page showed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from articles.models import Article
from bulletin.workflow import TRANSITIONS, WorkflowError, available, check_may_run, may_edit

from . import services
from .checker import check_issue
from .models import Issue


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60})
    )
    at = forms.DateTimeField(
        label="发布时间",
        required=False,
        help_text="格式：2024-03-01 09:00",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.needs_comment:
            self.fields["comment"].required = True
            self.fields["comment"].label = "原因"
        if transition.name != "schedule":
            del self.fields["at"]
        else:
            self.fields["at"].required = True
        if transition.name in ("schedule", "unschedule"):
            del self.fields["comment"]


def run(issue, transition, user, data):
    """Call the service behind ``transition`` with the confirmed form ``data``."""
    if transition.name == "schedule":
        return services.schedule_issue(issue=issue, user=user, at=data["at"])
    return services.run_transition(
        issue=issue, name=transition.name, user=user, comment=data.get("comment", "")
    )


class IssueWorkflowAdminMixin:
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, obj.status))

    def has_delete_permission(self, request, obj=None):
        # Only a draft may be deleted: anything further along has been proofed or printed.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (
            obj is None or (obj.status == Issue.Status.DRAFT and may_edit(request.user, obj.status))
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Article:  # articles added in the issue follow its state
            for article_form in formset.forms:
                article_form.instance.status = form.instance.status
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.transition_view)
        return [
            path(
                "<path:object_id>/transition/<slug:name>/",
                view,
                name="issues_issue_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        if issue is not None:
            extra_context = {
                **(extra_context or {}),
                "workflow_buttons": [
                    {
                        "label": t.label,
                        "url": reverse("admin:issues_issue_transition", args=[issue.pk, t.name]),
                    }
                    for t in available(request.user, issue.status)
                ],
                "transitions": issue.transitions.select_related("user"),
                "editable": may_edit(request.user, issue.status),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, name):
        issue = get_object_or_404(Issue, pk=object_id)
        if name not in TRANSITIONS or not self.has_view_permission(request, issue):
            raise PermissionDenied
        transition = TRANSITIONS[name]
        change_url = reverse("admin:issues_issue_change", args=[issue.pk])
        try:
            check_may_run(request.user, transition, issue.status)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect(change_url)
        form = TransitionForm(
            request.POST if request.method == "POST" else None, transition=transition
        )
        if request.method == "POST" and form.is_valid():
            try:
                issue = run(issue, transition, request.user, form.cleaned_data)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    f"{issue.display_title}：已{transition.label}，"
                    f"当前状态为“{issue.get_status_display()}”。",
                )
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": issue,
            "title": f"{transition.label}：{issue.display_title}",
            "transition": transition,
            "form": form,
            "change_url": change_url,
            "now": timezone.localtime(),
            # 签发 shows what the pre-publication checker found; errors also refuse it.
            "problems": check_issue(issue) if name == "approve" else [],
        }
        return TemplateResponse(request, "admin/workflow_transition.html", context)
