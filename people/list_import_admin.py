"""Admin pages to load a distribution list from CSV or XLSX: upload → preview → confirm."""

import base64

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .list_import import ListImportError, plan_import
from .services import ListImportRefused, import_recipient_list

SESSION_KEY = "people_recipient_list_import"
MAX_BYTES = 5 * 1024 * 1024


class ListUploadForm(forms.Form):
    file = forms.FileField(
        label="名单文件",
        help_text="CSV 或 Excel（.xlsx），列与导出文件一致：分组、收件人、联系人、职务、邮寄地址、邮政编码、联系电话、份数。",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("只能导入 CSV 或 Excel（.xlsx）文件。")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("文件过大（上限 5 MB）。")
        return upload


class RecipientListImportAdminMixin:
    """Adds 导入名单 to the recipient admin; only who may add and change recipients may use it."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.list_import_view)
        confirm = self.admin_site.admin_view(self.list_import_confirm_view)
        return [
            path("import-list/", view, name="people_recipient_import"),
            path("import-list/confirm/", confirm, name="people_recipient_import_confirm"),
            *super().get_urls(),
        ]

    def _check_import_permission(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied

    def _import_context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入发行名单",
            **extra,
        }

    def list_import_view(self, request):
        self._check_import_permission(request)
        form = ListUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                parsed = plan_import(data, upload.name)
            except ListImportError as exc:
                form.add_error("file", str(exc))
            else:
                request.session[SESSION_KEY] = {
                    "name": upload.name,
                    "data": base64.b64encode(data).decode("ascii"),
                }
                return TemplateResponse(
                    request,
                    "admin/people/recipient/import_preview.html",
                    self._import_context(request, parsed=parsed, filename=upload.name),
                )
        return TemplateResponse(
            request,
            "admin/people/recipient/import_form.html",
            self._import_context(request, form=form),
        )

    def list_import_confirm_view(self, request):
        self._check_import_permission(request)
        upload_url = reverse("admin:people_recipient_import")
        if request.method != "POST":
            return redirect(upload_url)
        stored = request.session.get(SESSION_KEY)
        if not stored:
            messages.error(request, "没有待导入的文件，请重新上传。")
            return redirect(upload_url)
        data = base64.b64decode(stored["data"])
        try:
            parsed = import_recipient_list(data=data, filename=stored["name"])
        except (ListImportError, ListImportRefused) as exc:
            errors = getattr(exc, "errors", None) or [str(exc)]
            messages.error(
                request,
                "名单未导入，没有写入任何内容：" + "；".join(str(e) for e in errors),
            )
            return redirect(upload_url)
        del request.session[SESSION_KEY]
        messages.success(
            request,
            f"已导入名单“{stored['name']}”：新增 {parsed.created} 个，更新 {parsed.updated} 个，"
            f"无变化 {parsed.skipped} 个。",
        )
        return redirect(reverse("admin:people_recipient_changelist"))
