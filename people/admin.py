from django.contrib import admin
from mptt.admin import DraggableMPTTAdmin, TreeRelatedFieldListFilter

from .models import Organisation, Person, Recipient, RecipientGroup


@admin.register(Organisation)
class OrganisationAdmin(DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "short_name", "is_active"]
    list_display_links = ["indented_title"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "name_pinyin"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "organisation", "user"]
    list_filter = [("organisation", TreeRelatedFieldListFilter)]
    search_fields = ["name", "name_pinyin", "position"]
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["name_pinyin"]
    fields = ["name", "name_pinyin", "position", "organisation", "photo", "bio", "user"]


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    autocomplete_fields = ["organisation", "person"]
    fields = [
        "order",
        "organisation",
        "person",
        "addressee",
        "copies",
        "postal_address",
        "postcode",
        "contact",
        "phone",
        "is_active",
    ]


@admin.register(RecipientGroup)
class RecipientGroupAdmin(DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "is_active"]
    list_display_links = ["indented_title"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [RecipientInline]


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["display_name", "group", "copies", "postcode", "contact", "phone", "is_active"]
    list_filter = [("group", TreeRelatedFieldListFilter), "is_active"]
    list_editable = ["copies", "is_active"]
    search_fields = [
        "addressee",
        "person__name",
        "organisation__name",
        "postal_address",
        "contact",
    ]
    autocomplete_fields = ["group", "organisation", "person"]
    list_select_related = ["group", "person", "organisation"]

    @admin.display(description="收件人")
    def display_name(self, obj):
        return obj.display_name
