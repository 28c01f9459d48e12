"""The admin's per-issue export of the recorded distribution:
/admin/issues/issue/<id>/distribution/export/?format=csv|xlsx|txt|labels.

A mixin for IssueAdmin. Without ``format`` the page lists the formats; only users who may view
recipients (发行, superusers) get in: the record holds addresses and phone numbers.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.template.response import TemplateResponse
from django.urls import path

from people import exports
from people.export_admin import FORMAT_LABELS, download, require_distribution_access

from . import distribution_exports


class DistributionExportAdminMixin:
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_distribution_export"
        view = self.admin_site.admin_view(self.distribution_export_view)
        return [
            path("<path:object_id>/distribution/export/", view, name=name),
            *super().get_urls(),
        ]

    def distribution_export_view(self, request, object_id):
        require_distribution_access(request)
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        fmt = request.GET.get("format", "")
        rows = distribution_exports.issue_rows(issue)
        if fmt:
            if fmt not in exports.FORMATS:
                messages.error(request, f"不支持的导出格式：{fmt}")
            else:
                per_copy = request.GET.get("per_copy") in ("1", "on", "true")
                try:
                    if fmt == "txt":
                        content = exports.to_txt(distribution_exports.issue_line(issue))
                    else:
                        content = exports.export(rows, fmt, per_copy=per_copy)
                except exports.LabelsUnavailable as error:
                    messages.error(request, f"无法生成标签 PDF：服务器缺少排版组件。（{error}）")
                else:
                    filename = distribution_exports.export_filename(fmt, issue)
                    return download(content, fmt, filename)
        count, copies = exports.totals(rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": issue,
            "title": f"导出发送记录：{issue}",
            "formats": list(FORMAT_LABELS.items()),
            "recipient_count": count,
            "copy_count": copies,
            "subject": f"{issue} 的发送记录",
        }
        return TemplateResponse(request, "admin/people/recipient/export.html", context)
