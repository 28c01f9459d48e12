from django.contrib import admin
from mptt.admin import DraggableMPTTAdmin, TreeRelatedFieldListFilter

from .models import Article, ArticleImage, Authorship, Section


@admin.register(Section)
class SectionAdmin(DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "slug", "is_active"]
    list_display_links = ["indented_title"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]


class AuthorshipInline(admin.TabularInline):
    model = Authorship
    extra = 0
    fields = ["order", "role", "person", "organisation", "printed_name"]
    autocomplete_fields = ["person", "organisation"]


class ArticleImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 0
    fields = ["order", "image", "caption", "alt_text"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    ]
    inlines = [AuthorshipInline, ArticleImageInline]
