from django import forms

from bulletin.models import Publication

from .models import NUMBER_MAX, NUMBER_MIN, YEAR_MAX, YEAR_MIN

MAX_PRINT_TEXT_BYTES = 5 * 1024 * 1024


class PrintTextImportForm(forms.Form):
    """Step one of the admin import: the file and which issue it is."""

    file = forms.FileField(
        label="印刷版文本文件",
        help_text="从整期印刷版 PDF 导出的 .txt 文本（UTF-8 或 GB18030 编码均可）",
        error_messages={"empty": "文件是空的，请选择印刷版导出的文本文件。"},
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
        if upload.size > MAX_PRINT_TEXT_BYTES:
            raise forms.ValidationError("文件超过 5 MB，不像是一期刊物的文本，请检查。")
        return upload


class PrintTextConfirmForm(forms.Form):
    """Step two: the same choices, with the decoded text carried over from the preview."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    publication = forms.ModelChoiceField(
        queryset=Publication.objects.all(), widget=forms.HiddenInput
    )
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=YEAR_MIN, max_value=YEAR_MAX)
    number = forms.IntegerField(
        widget=forms.HiddenInput, min_value=NUMBER_MIN, max_value=NUMBER_MAX
    )
    total_number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    replace = forms.BooleanField(widget=forms.HiddenInput, required=False)
