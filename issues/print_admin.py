"""The admin's 生成 PDF: the issue's print PDF made on demand, downloaded at once.

A mixin for IssueAdmin: it adds the route and the view; the layout is issues/printing.py. Any
state: staff generate the PDF to proof it before publishing. Nothing is stored here (publishing
stores it, issues/services.py).
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse

from . import printing


class PrintAdminMixin:
    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_pdf"
        view = self.admin_site.admin_view(self.pdf_view)
        return [path("<path:object_id>/pdf/", view, name=name), *super().get_urls()]

    def pdf_view(self, request, object_id):
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        try:
            content = printing.issue_pdf(issue)
        except printing.PdfUnavailable as error:
            messages.error(
                request,
                "无法生成 PDF：服务器缺少排版所需的系统组件（Pango、HarfBuzz、fontconfig 及中文字体）。"
                f"请管理员安装后重试。（{error}）",
            )
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[issue.pk]
                )
            )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{printing.pdf_filename(issue)}"'
        return response
