from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, NullIf
from mptt.admin import DraggableMPTTAdmin, TreeRelatedFieldListFilter

from bulletin.autocomplete import SafeAutocompleteMixin
from bulletin.text import pinyin_key

from .export_admin import ExportAdminMixin
from .list_import_admin import RecipientListImportAdminMixin
from .models import Organisation, Person, Recipient, RecipientGroup


@admin.register(Organisation)
class OrganisationAdmin(SafeAutocompleteMixin, DraggableMPTTAdmin):
    list_display = ["tree_actions", "indented_title", "short_name", "is_active"]
    list_display_links = ["indented_title"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "name_pinyin"]
    autocomplete_fields = ["parent"]


@admin.register(Person)
class PersonAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "position", "organisation", "user"]
    list_filter = [("organisation", TreeRelatedFieldListFilter)]
    search_fields = ["name", "name_pinyin", "position"]
    autocomplete_fields = ["organisation", "user"]
    readonly_fields = ["name_pinyin"]
    fields = ["name", "name_pinyin", "position", "organisation", "photo", "bio", "user"]


# Within a group recipients go by their explicit order, then by the pinyin of the printed name.
# Person and Organisation store a pinyin key; free-text addressees do not, and no field is added
# for them: their keys are computed here, one CASE branch per distinct addressee text.
RECIPIENT_ORDERING = ["group__tree_id", "group__lft", "order", "name_key", "pk"]


def with_name_key(queryset):
    """``queryset`` annotated with ``name_key``, the pinyin sort key of each display name."""
    texts = set(queryset.exclude(addressee="").values_list("addressee", flat=True).distinct())
    fallback = Coalesce(
        NullIf("person__name_pinyin", Value("")),
        NullIf("organisation__name_pinyin", Value("")),
        Value(""),
    )
    whens = [When(addressee=text, then=Value(pinyin_key(text))) for text in sorted(texts)]
    key = Case(*whens, default=fallback) if whens else fallback
    return queryset.annotate(name_key=key)


def distribution_totals():
    """Active recipients and their copies over the whole list, and the suspended ones."""
    totals = Recipient.objects.aggregate(
        recipients=Count("pk", filter=Q(is_active=True)),
        copies=Coalesce(Sum("copies", filter=Q(is_active=True)), 0),
        inactive=Count("pk", filter=Q(is_active=False)),
    )
    return totals


class TotalsChangelistMixin:
    """The overall totals above the changelist (templates/admin/people/totals.html)."""

    def changelist_view(self, request, extra_context=None):
        # Checked before DraggableMPTTAdmin's move_node shortcut, which would answer 200.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        extra_context = {**(extra_context or {}), "distribution_totals": distribution_totals()}
        return super().changelist_view(request, extra_context)


class RecipientInline(SafeAutocompleteMixin, admin.TabularInline):
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

    def get_queryset(self, request):
        queryset = with_name_key(Recipient.objects.select_related("person", "organisation"))
        return queryset.order_by(*RECIPIENT_ORDERING)


def _subtree_total(aggregate):
    """Per group, ``aggregate`` over the active recipients of the group and its descendants."""
    subtree = (
        Recipient.objects.filter(
            is_active=True,
            group__tree_id=OuterRef("tree_id"),
            group__lft__gte=OuterRef("lft"),
            group__rght__lte=OuterRef("rght"),
        )
        .order_by()
        .values("group__tree_id")
        .annotate(total=aggregate)
        .values("total")
    )
    return Coalesce(Subquery(subtree, output_field=IntegerField()), 0)


@admin.register(RecipientGroup)
class RecipientGroupAdmin(SafeAutocompleteMixin, TotalsChangelistMixin, DraggableMPTTAdmin):
    list_display = [
        "tree_actions",
        "indented_title",
        "recipient_total",
        "copies_total",
        "is_active",
    ]
    list_display_links = ["indented_title"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    inlines = [RecipientInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                subtree_recipients=_subtree_total(Count("pk")),
                subtree_copies=_subtree_total(Sum("copies")),
            )
        )

    @admin.display(description="收件人（含下级）", ordering="subtree_recipients")
    def recipient_total(self, obj):
        return obj.subtree_recipients

    @admin.display(description="份数（含下级）", ordering="subtree_copies")
    def copies_total(self, obj):
        return obj.subtree_copies

    def _move_node(self, request):
        # One tree write at a time, inside a transaction (mptt takes no lock of its own).
        with transaction.atomic():
            return super()._move_node(request)


class HasAddressFilter(admin.SimpleListFilter):
    title = "邮寄地址"
    parameter_name = "has_address"

    def lookups(self, request, model_admin):
        return [("yes", "有地址"), ("no", "无地址")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(postal_address="")
        if self.value() == "no":
            return queryset.filter(postal_address="")
        return queryset


@admin.register(Recipient)
class RecipientAdmin(
    SafeAutocompleteMixin,
    ExportAdminMixin,
    RecipientListImportAdminMixin,
    TotalsChangelistMixin,
    admin.ModelAdmin,
):
    list_display = [
        "display_name",
        "group",
        "order",
        "copies",
        "postal_address",
        "postcode",
        "contact",
        "phone",
        "is_active",
    ]
    list_filter = [("group", TreeRelatedFieldListFilter), "is_active", HasAddressFilter]
    list_editable = ["order", "copies", "is_active"]
    search_fields = [
        "addressee",
        "person__name",
        "organisation__name",
        "postal_address",
        "contact",
        "phone",
    ]
    autocomplete_fields = ["group", "organisation", "person"]
    list_select_related = ["group", "person", "organisation"]
    actions = ["activate", "deactivate"]

    def get_queryset(self, request):
        # Not super(): it orders by name_key before the annotation exists.
        return with_name_key(self.model._default_manager.get_queryset())

    def get_ordering(self, request):
        return RECIPIENT_ORDERING

    def changelist_view(self, request, extra_context=None):
        can_import = self.has_add_permission(request) and self.has_change_permission(request)
        extra_context = {**(extra_context or {}), "can_import_list": can_import}
        return super().changelist_view(request, extra_context)

    @admin.display(description="收件人", ordering="name_key")
    def display_name(self, obj):
        return obj.display_name

    @admin.action(description="恢复寄送所选发行对象", permissions=["change"])
    def activate(self, request, queryset):
        count = queryset.update(is_active=True)
        self.message_user(request, f"已恢复寄送 {count} 个发行对象。")

    @admin.action(description="暂停寄送所选发行对象", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, f"已暂停寄送 {count} 个发行对象。")
