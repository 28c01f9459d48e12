from django import forms

from articles.importers.pdf_text import MAX_PDF_BYTES, is_pdf
from bulletin.models import Publication

from . import import_uploads
from .models import NUMBER_MAX, NUMBER_MIN, YEAR_MAX, YEAR_MIN

MAX_PRINT_TEXT_BYTES = 5 * 1024 * 1024


class PrintTextImportForm(forms.Form):
    """Step one of the admin import: the file and which issue it is."""

    file = forms.FileField(
        label="印刷版 PDF 或文本文件",
        help_text=f"整期印刷版 PDF（须有文字层，扫描件不行；不超过 {MAX_PDF_BYTES // 2**20} MB；"
        "导入后作为本期的整期 PDF 保存），或从它导出的 .txt 文本（UTF-8 或 GB18030 编码均可；"
        f"不超过 {MAX_PRINT_TEXT_BYTES // 2**20} MB）",
        error_messages={"empty": "文件是空的，请选择印刷版 PDF 或导出的文本文件。"},
    )
    publication = forms.ModelChoiceField(
        label="刊物", queryset=Publication.objects.all(), empty_label=None
    )
    year = forms.IntegerField(label="年份", min_value=YEAR_MIN, max_value=YEAR_MAX)
    number = forms.IntegerField(
        label="期号", min_value=NUMBER_MIN, max_value=NUMBER_MAX, help_text="当年第几期"
    )
    total_number = forms.IntegerField(label="总期号", min_value=1, required=False)
    replace = forms.BooleanField(
        label="替换已有的一期",
        required=False,
        help_text="勾选后，同年同期号的已有一期及其全部稿件将被本文件的内容替换",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        head = upload.read(1024)
        upload.seek(0)
        if is_pdf(head):
            if upload.size > MAX_PDF_BYTES:
                raise forms.ValidationError(
                    f"PDF 超过 {MAX_PDF_BYTES // (1024 * 1024)} MB，无法在导入时读取文字；"
                    "请导出文本后导入。"
                )
            return upload
        if upload.size > MAX_PRINT_TEXT_BYTES:
            raise forms.ValidationError("文件超过 5 MB，不像是一期刊物的文本，请检查。")
        return upload


class PrintTextConfirmForm(forms.Form):
    """Step two: the same choices, and the token of the upload kept on the server since the
    preview (import_uploads.py): the text itself never travels back."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=500)
    publication = forms.ModelChoiceField(
        queryset=Publication.objects.all(), widget=forms.HiddenInput
    )
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=YEAR_MIN, max_value=YEAR_MAX)
    number = forms.IntegerField(
        widget=forms.HiddenInput, min_value=NUMBER_MIN, max_value=NUMBER_MAX
    )
    total_number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    replace = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.upload = None

    def clean_token(self):
        token = self.cleaned_data["token"]
        try:
            self.upload = import_uploads.load(token, user=self.user)
        except import_uploads.KeptUploadError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return token
