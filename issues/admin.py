from django.contrib import admin
from django.db.models import Count
from django.urls import path

from articles.models import Article
from bulletin.autocomplete import SafeAutocompleteMixin
from bulletin.concurrent_admin import ConcurrentEditAdminMixin
from bulletin.workflow import StateInlineMixin

from .checker_admin import CheckerAdminMixin
from .distribution_admin import DistributionExportAdminMixin
from .distribution_record_admin import DistributionRecordAdminMixin
from .import_views import import_print_text
from .models import Issue, IssueCredit, IssueSection
from .print_admin import PrintAdminMixin
from .proofing_report import ProofingReportAdminMixin
from .workflow_admin import IssueWorkflowAdminMixin


class IssueSectionInline(SafeAutocompleteMixin, StateInlineMixin, admin.TabularInline):
    model = IssueSection
    extra = 0
    autocomplete_fields = ["section"]
    verbose_name_plural = "本期栏目顺序（决定目录中栏目的先后）"


class IssueCreditInline(SafeAutocompleteMixin, StateInlineMixin, admin.TabularInline):
    model = IssueCredit
    extra = 0
    autocomplete_fields = ["person"]


class IssueArticleInline(SafeAutocompleteMixin, StateInlineMixin, admin.TabularInline):
    """The issue's articles in print order: section order of this issue, then order within it."""

    model = Article
    extra = 0
    fields = ["title", "section", "order", "start_page", "end_page", "status"]
    readonly_fields = ["status"]  # articles follow their issue
    autocomplete_fields = ["section"]
    show_change_link = True
    verbose_name_plural = "本期稿件（按印刷顺序）"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section").in_print_order()


@admin.register(Issue)
class IssueAdmin(
    DistributionRecordAdminMixin,
    DistributionExportAdminMixin,
    CheckerAdminMixin,
    PrintAdminMixin,
    ProofingReportAdminMixin,
    ConcurrentEditAdminMixin,
    IssueWorkflowAdminMixin,
    admin.ModelAdmin,
):
    list_display = ["display_title", "publication", "publish_date", "status", "article_count"]
    list_filter = ["status", "year", "publication"]
    search_fields = ["year", "number", "total_number", "notes"]
    date_hierarchy = "publish_date"
    list_select_related = ["publication"]
    fieldsets = [
        (None, {"fields": ["publication", ("year", "number", "total_number"), "publish_date"]}),
        ("状态", {"fields": ["status", "scheduled_at", "published_at"]}),
        ("发送范围", {"fields": ["distribution_line", "generated_distribution_line"]}),
        ("封面与文件", {"fields": ["cover", "pdf"]}),
        ("备注", {"fields": ["notes"], "classes": ["collapse"]}),
    ]
    # The state changes only through the workflow's buttons (issues/workflow_admin.py).
    readonly_fields = ["status", "scheduled_at", "published_at", "generated_distribution_line"]
    actions = ["mark_sent"]
    inlines = [IssueSectionInline, IssueArticleInline, IssueCreditInline]

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="issues_issue_import"), *super().get_urls()]

    def import_view(self, request):
        return import_print_text(self, request)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="期次", ordering="-year")
    def display_title(self, obj):
        return obj.display_title

    @admin.display(description="印出的发送范围")
    def generated_distribution_line(self, obj):
        """What the proof and the colophon print: the line above if filled, else generated."""
        return obj.printed_distribution_line if obj else ""

    @admin.display(description="稿件数", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total
