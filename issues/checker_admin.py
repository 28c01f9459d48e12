"""The issue admin's 出版前检查 page: what issues.checker finds, grouped by article, each problem
with a link to the page where it is fixed."""

from itertools import groupby

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .checker import check_issue, errors


class CheckerAdminMixin:
    checker_template = "admin/issues/issue/check.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.check_view)
        return [
            path("<path:object_id>/check/", view, name="issues_issue_check"),
            *super().get_urls(),
        ]

    def check_view(self, request, object_id):
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        problems = check_issue(issue)
        # check_issue lists the issue's own problems first, then each article's together.
        groups = [
            {"article": article, "problems": list(items)}
            for article, items in groupby(problems, key=lambda p: p.article)
        ]
        error_count = len(errors(problems))
        context = {
            **self.admin_site.each_context(request),
            "title": f"出版前检查：{issue.display_title}",
            "subtitle": None,
            "opts": self.opts,
            "original": issue,
            "groups": groups,
            "problem_count": len(problems),
            "error_count": error_count,
            "warning_count": len(problems) - error_count,
            "change_url": reverse(f"{self.admin_site.name}:issues_issue_change", args=[issue.pk]),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.checker_template, context)
