"""The admin's import of an issue from print text: upload, preview side by side, confirm."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.importers.decoding import decode_text
from articles.importers.errors import ImporterError
from articles.importers.pdf_text import extract_print_text, is_pdf
from articles.importers.print_text import parse_print_text
from bulletin.models import Publication

from . import import_uploads
from .forms import PrintTextConfirmForm, PrintTextImportForm
from .importing import existing_issue, save_parsed_issue

ROLE_LABELS = {
    "toc": "目录",
    "title": "标题",
    "subtitle": "副题",
    "author": "作者",
    "heading": "小标题",
    "paragraph": "正文",
    "note": "文末注释",
    "running-head": "书眉（删除）",
    "colophon": "版权栏",
    "ignored": "忽略",
}


def import_print_text(model_admin, request):
    if not (
        request.user.has_perm("issues.add_issue") and request.user.has_perm("articles.add_article")
    ):
        raise PermissionDenied
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta}
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context)
    if request.method == "POST":
        form = PrintTextImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                text = extract_print_text(data) if is_pdf(data) else decode_text(data)
                parsed = parse_print_text(text)
            except ImporterError as exc:
                form.add_error("file", str(exc))
            else:
                pdf = data if is_pdf(data) else None
                token = import_uploads.keep(text=text, pdf=pdf, user=request.user)
                return _preview(request, context, form.cleaned_data, parsed, token, bool(pdf))
    else:
        form = PrintTextImportForm(initial={"publication": Publication.objects.current()})
    return TemplateResponse(
        request,
        "admin/issues/issue/import_form.html",
        {**context, "title": "从印刷版 PDF 或文本导入一期", "form": form},
    )


def _preview(request, context, data, parsed, token, from_pdf):
    old = existing_issue(publication=data["publication"], year=data["year"], number=data["number"])
    confirm = PrintTextConfirmForm(
        initial={
            "token": token,
            "publication": data["publication"].pk,
            "year": data["year"],
            "number": data["number"],
            "total_number": data["total_number"],
            "replace": data["replace"],
        }
    )
    warned_lines = {w.line for w in parsed.warnings if w.line}
    lines = [
        {
            "number": number,
            "text": raw,
            "role": parsed.line_roles.get(number, "blank" if not raw.strip() else ""),
            "label": ROLE_LABELS.get(parsed.line_roles.get(number, ""), ""),
            "warned": number in warned_lines,
        }
        for number, raw in enumerate(parsed.source_lines, start=1)
    ]
    return TemplateResponse(
        request,
        "admin/issues/issue/import_preview.html",
        {
            **context,
            "title": f"核对导入结果：{data['year']}年第{data['number']}期",
            "parsed": parsed,
            "lines": lines,
            "confirm_form": confirm,
            "existing": old,
            "blocked": old is not None and not data["replace"],
            "from_pdf": from_pdf,
        },
    )


def _confirm(request, context):
    form = PrintTextConfirmForm(request.POST, user=request.user)
    if not form.is_valid():
        # A token that expired or was altered says so; anything else is a tampered form.
        errors = form.errors.get("token") if form.data.get("token") else None
        messages.error(request, errors[0] if errors else "导入信息不完整，请重新上传文件。")
        return redirect("admin:issues_issue_import")
    data, upload = form.cleaned_data, form.upload
    try:
        parsed = parse_print_text(upload.text)
        with upload.pdf_path.open("rb") if upload.pdf_path else nullcontext() as pdf_file:
            issue = save_parsed_issue(
                parsed=parsed,
                publication=data["publication"],
                year=data["year"],
                number=data["number"],
                total_number=data["total_number"],
                replace=data["replace"],
                user=request.user,
                pdf=File(pdf_file, name="print.pdf") if pdf_file else None,
            )
    except ImporterError as exc:
        messages.error(request, str(exc))
        return redirect("admin:issues_issue_import")
    upload.discard()
    import_uploads.prune()
    messages.success(
        request,
        f"已导入{issue.display_title}：{issue.articles.count()}篇稿件，状态为草稿。"
        + ("印刷版 PDF 已保存为本期的整期 PDF。" if upload.pdf_path else "")
        + (f"请留意 {len(parsed.warnings)} 条提示。" if parsed.warnings else ""),
    )
    return redirect(reverse("admin:issues_issue_change", args=[issue.pk]))
