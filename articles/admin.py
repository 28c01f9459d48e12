from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from mptt.admin import DraggableMPTTAdmin, TreeRelatedFieldListFilter
from mptt.forms import TreeNodeChoiceField

from bulletin.autocomplete import AutocompleteSelect, SafeAutocompleteMixin
from bulletin.concurrent_admin import ConcurrentEditAdminMixin
from bulletin.workflow import StateInlineMixin
from issues.models import Issue

from .admin_forms import ArticleAdminForm
from .docx_import import import_docx_article
from .history_admin import ArticleHistoryAdminMixin
from .importers.errors import DocxImportError
from .models import Article, ArticleImage, Authorship, Section
from .print_preview import PrintPreviewAdminMixin
from .workflow_admin import ArticleWorkflowAdminMixin


@admin.register(Section)
class SectionAdmin(SafeAutocompleteMixin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "slug", "is_active"]
    list_display_links = ["indented_title"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]


class AuthorshipInline(SafeAutocompleteMixin, StateInlineMixin, admin.TabularInline):
    model = Authorship
    extra = 0
    fields = ["order", "role", "person", "organisation", "printed_name"]
    autocomplete_fields = ["person", "organisation"]


class ArticleImageInline(StateInlineMixin, admin.TabularInline):
    model = ArticleImage
    extra = 0
    fields = ["order", "image", "caption", "alt_text"]


class DocxImportForm(forms.Form):
    file = forms.FileField(
        label="Word 文件",
        help_text="Word 文档（.docx）。旧版 .doc 文件请先在 Word 中“另存为”.docx。",
        widget=forms.FileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )
    issue = forms.ModelChoiceField(
        Issue.objects.all(), label="期刊", required=False, help_text="尚未编入某一期的稿件留空"
    )
    section = TreeNodeChoiceField(Section.objects.filter(is_active=True), label="栏目")
    title = forms.CharField(
        label="标题", max_length=300, required=False, help_text="留空则使用文中识别出的标题"
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin site is known only per request, so the widget is swapped in here; a swapped
        # widget needs the field's choices handed over again.
        issue = self.fields["issue"]
        issue.widget = AutocompleteSelect(Article._meta.get_field("issue"), admin_site)
        issue.widget.choices = issue.choices


@admin.register(Article)
class ArticleAdmin(
    SafeAutocompleteMixin,
    ArticleHistoryAdminMixin,
    ConcurrentEditAdminMixin,
    PrintPreviewAdminMixin,
    ArticleWorkflowAdminMixin,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = ["title", "issue", "section", "start_page", "status", "updated_at"]
    list_filter = ["status", "issue", ("section", TreeRelatedFieldListFilter)]
    search_fields = [
        "title",
        "subtitle",
        "kicker",
        "authorships__person__name",
        "authorships__organisation__name",
        "source",
    ]
    autocomplete_fields = ["issue", "section"]
    list_select_related = ["issue", "section"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["issue", "section", ("order", "start_page", "end_page"), "status"]}),
        ("标题", {"fields": ["kicker", "title", "subtitle"]}),
        ("正文", {"fields": ["body", "summary"]}),
        ("文末说明", {"fields": ["source", "author_note"]}),
        ("更正", {"fields": ["correction_note", "corrected_at"], "classes": ["collapse"]}),
    ]
    # The state comes from the issue's workflow buttons, never from a field.
    readonly_fields = ["status", "corrected_at"]
    inlines = [AuthorshipInline, ArticleImageInline]

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_docx_view)
        return [
            path("import-docx/", import_view, name="articles_article_import_docx"),
            *super().get_urls(),
        ]

    def import_docx_view(self, request):
        """Create a draft article from an uploaded Word file (the changelist's 从 Word 导入)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DocxImportForm(
            request.POST or None, request.FILES or None, admin_site=self.admin_site
        )
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                article = import_docx_article(
                    fileobj=upload,
                    filename=upload.name,
                    issue=form.cleaned_data["issue"],
                    section=form.cleaned_data["section"],
                    title=form.cleaned_data["title"],
                    user=request.user,
                )
            except DocxImportError as exc:
                form.add_error("file", str(exc))
            else:
                warnings = article.import_warnings
                note = f"，有 {len(warnings)} 条提示请核对" if warnings else ""
                self.message_user(
                    request,
                    f"已从 Word 导入稿件“{article.title}”（草稿）{note}。",
                    messages.SUCCESS,
                )
                for warning in warnings:
                    self.message_user(request, warning, messages.WARNING)
                return redirect(
                    reverse(
                        "admin:articles_article_change",
                        args=[article.pk],
                        current_app=self.admin_site.name,
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "title": "从 Word 导入稿件",
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/import_docx.html", context)
