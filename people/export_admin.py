"""The admin's 导出发行名单 page for the current list: /admin/people/recipient/export/.

A mixin for RecipientAdmin. GET without ``format`` shows the page (totals and one link per
format); ``?format=csv|xlsx|txt|labels`` (and ``per_copy=1`` for labels) downloads the file.
The changelist also gets the action 导出所选发行对象（Excel） for a selection.
Addresses and phone numbers: only users who may view recipients (发行, superusers) get in.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from . import exports

FORMAT_LABELS = {
    "csv": "CSV（Excel、WPS 可直接打开）",
    "xlsx": "Excel 工作簿（XLSX）",
    "txt": "“发：”一行（TXT）",
    "labels": "邮寄标签（PDF，A4）",
}


def require_distribution_access(request):
    if not request.user.has_perm("people.view_recipient"):
        raise PermissionDenied


def download(content, fmt, filename):
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ExportAdminMixin:
    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.has_perm("people.view_recipient"):
            action = type(self).export_selected_xlsx
            actions["export_selected_xlsx"] = (
                action,
                "export_selected_xlsx",
                action.short_description,
            )
        return actions

    @admin.action(description="导出所选发行对象（Excel）")
    def export_selected_xlsx(self, request, queryset):
        require_distribution_access(request)
        content = exports.to_xlsx(exports.rows_for(queryset))
        return download(content, "xlsx", "distribution-selected.xlsx")

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_export"
        view = self.admin_site.admin_view(self.export_view)
        return [path("export/", view, name=name), *super().get_urls()]

    def export_view(self, request):
        require_distribution_access(request)
        fmt = request.GET.get("format", "")
        rows = exports.current_rows()
        if fmt:
            if fmt not in exports.FORMATS:
                messages.error(request, f"不支持的导出格式：{fmt}")
            else:
                per_copy = request.GET.get("per_copy") in ("1", "on", "true")
                try:
                    content = exports.export(rows, fmt, per_copy=per_copy)
                except exports.LabelsUnavailable as error:
                    messages.error(request, f"无法生成标签 PDF：服务器缺少排版组件。（{error}）")
                else:
                    suffix = "-labels" if fmt == "labels" else ""
                    filename = f"distribution{suffix}.{exports.EXTENSIONS[fmt]}"
                    return download(content, fmt, filename)
        count, copies = exports.totals(rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导出发行名单",
            "formats": list(FORMAT_LABELS.items()),
            "recipient_count": count,
            "copy_count": copies,
            "subject": "当前发行名单",
        }
        return TemplateResponse(request, "admin/people/recipient/export.html", context)
