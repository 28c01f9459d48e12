"""The per-issue distribution record in the admin: who an issue went to, corrected by 发行.

The record holds addresses and phone numbers, so every page here asks for the people
app's recipient permissions (the 发行 role, superusers), not the issue permissions editors
hold: others get 403.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .distribution import record_distribution
from .models import DistributionEntry, IssueDistribution


def may_view(request):
    return request.user.has_perm("people.view_recipient")


def may_change(request):
    return request.user.has_perm("people.change_recipient")


class RecipientPermissionMixin:
    """Admin permissions from people.Recipient's: view_recipient to see, change_recipient to
    correct."""

    def has_module_permission(self, request):
        return may_view(request)

    def has_view_permission(self, request, obj=None):
        return may_view(request)

    def has_add_permission(self, request, *args):
        return may_change(request)

    def has_change_permission(self, request, obj=None):
        return may_change(request)

    def has_delete_permission(self, request, obj=None):
        return may_change(request)

    def changelist_view(self, request, extra_context=None):
        if not may_view(request):
            raise PermissionDenied
        return super().changelist_view(request, extra_context)


def _stamp_record(issue_id, user):
    now = timezone.now()
    record, _ = IssueDistribution.objects.get_or_create(
        issue_id=issue_id,
        defaults={"source": IssueDistribution.Source.SENT, "recorded_by": user},
    )
    record.corrected_by, record.corrected_at = user, now
    record.save(update_fields=["corrected_by", "corrected_at"])
    return now


@admin.register(DistributionEntry)
class DistributionEntryAdmin(RecipientPermissionMixin, admin.ModelAdmin):
    """Every issue's record; filter by issue to see or correct one issue's."""

    list_display = [
        "issue",
        "order",
        "group_name",
        "recipient",
        "copies",
        "postal_address",
        "postcode",
        "contact",
        "corrected_by",
        "corrected_at",
    ]
    list_filter = ["issue"]
    search_fields = ["group_name", "recipient", "contact", "postal_address"]
    list_select_related = ["issue", "corrected_by"]
    raw_id_fields = ["issue"]
    # Links back to the list are for reference only: a correction changes the copied text.
    readonly_fields = ["source_group", "source_recipient", "corrected_by", "corrected_at"]

    def save_model(self, request, obj, form, change):
        """A hand correction: who and when, on the entry and on the issue's record."""
        obj.corrected_by = request.user
        obj.corrected_at = _stamp_record(obj.issue_id, request.user)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        _stamp_record(obj.issue_id, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for issue_id in set(queryset.values_list("issue", flat=True)):
            _stamp_record(issue_id, request.user)
        super().delete_queryset(request, queryset)


@admin.register(IssueDistribution)
class IssueDistributionAdmin(RecipientPermissionMixin, admin.ModelAdmin):
    list_display = ["issue", "source", "recorded_by", "recorded_at", "corrected_by", "corrected_at"]
    list_filter = ["source"]
    list_select_related = ["issue", "recorded_by", "corrected_by"]
    readonly_fields = [
        "issue",
        "source",
        "recorded_by",
        "recorded_at",
        "corrected_by",
        "corrected_at",
    ]
    fields = [*readonly_fields, "printed_line"]

    def has_add_permission(self, request, *args):
        return False  # taken on publication or by 标记为已发出

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.corrected_by, obj.corrected_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


class DistributionEntryInline(RecipientPermissionMixin, admin.TabularInline):
    """The issue's record on the issue page, read only; corrections on the record's own page."""

    model = DistributionEntry
    extra = 0
    fields = ["order", "group_name", "recipient", "copies", "postal_address", "postcode"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "本期发行记录（发行人员可见；更正请点击各行的“更改”）"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DistributionRecordAdminMixin:
    """IssueAdmin: the 标记为已发出 action and the record's inline, for 发行 only."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_change(request):
            actions.pop("mark_sent", None)
        return actions

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and may_view(request):
            inlines.append(DistributionEntryInline)
        return inlines

    @admin.action(description="标记为已发出（记录本期发行名单）")
    def mark_sent(self, request, queryset):
        if not may_change(request):
            raise PermissionDenied
        recorded, kept = [], []
        for issue in queryset:
            had = IssueDistribution.objects.filter(issue=issue).exists()
            record_distribution(issue=issue, user=request.user)
            (kept if had else recorded).append(str(issue))
        if recorded:
            self.message_user(request, f"已记录发行名单：{'、'.join(recorded)}。", messages.SUCCESS)
        if kept:
            self.message_user(
                request,
                f"{'、'.join(kept)}已有发行记录，未改动；如需更正请在发行记录中修改。",
                messages.WARNING,
            )
