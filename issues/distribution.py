"""Who received an issue: the per-issue record (DistributionEntry), taken when an issue is
published or marked sent, and the record of an imported 发： line. The record is a snapshot:
changing or deleting recipients later never rewrites it. The current list and its printed
发： line are people.distribution_list's.
"""

from django.db import transaction
from django.utils import timezone

from people.distribution_list import current_distribution_line, current_recipients
from people.models import RecipientGroup

from .models import DistributionEntry, Issue, IssueDistribution

IMPORTED_GROUP_NAME = "导入的发送范围"


def has_record(issue) -> bool:
    return IssueDistribution.objects.filter(issue=issue).exists()


@transaction.atomic
def record_distribution(*, issue, user=None, source=IssueDistribution.Source.SENT):
    """Snapshot the current list as ``issue``'s distribution; return its IssueDistribution.

    An issue that already has a record keeps it unchanged (a republished issue keeps its first
    record); corrections are made explicitly on the record itself.
    """
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    existing = IssueDistribution.objects.filter(issue=issue).first()
    if existing is not None:
        return existing
    record = IssueDistribution.objects.create(
        issue=issue,
        source=source,
        recorded_by=user,
        printed_line=current_distribution_line(),
    )
    DistributionEntry.objects.bulk_create(
        DistributionEntry(
            issue=issue,
            order=order,
            group_name=recipient.group.name,
            recipient=recipient.display_name,
            position=recipient.person.position if recipient.person_id else "",
            contact=recipient.contact,
            phone=recipient.phone,
            postal_address=recipient.postal_address,
            postcode=recipient.postcode,
            copies=recipient.copies,
            source_group=recipient.group,
            source_recipient=recipient,
        )
        for order, recipient in enumerate(current_recipients(), start=1)
    )
    return record


def record_on_publish(*, issue, user=None):
    """The publish hook: the first publication records the distribution, later ones don't."""
    if not has_record(issue):
        record_distribution(issue=issue, user=user, source=IssueDistribution.Source.PUBLISH)


def imported_group_names():
    return list(RecipientGroup.objects.values_list("name", flat=True))


@transaction.atomic
def record_imported_distribution(*, issue, entries, user=None):
    """Record a back issue's printed 发： line entries (group names, print order) as its
    distribution: group-level entries, each matched to an existing group by name or created
    under 导入的发送范围 (an inactive group, so that it stays out of the current 发： line)."""
    if not entries or has_record(issue):
        return None
    record = IssueDistribution.objects.create(
        issue=issue,
        source=IssueDistribution.Source.IMPORT,
        recorded_by=user,
        printed_line=issue.distribution_line,
    )
    parent = None
    for order, name in enumerate(entries, start=1):
        group = RecipientGroup.objects.filter(name=name).order_by("tree_id", "lft").first()
        if group is None:
            if parent is None:
                parent = _imported_parent()
            group = RecipientGroup.objects.create(name=name, parent=parent)
        DistributionEntry.objects.create(
            issue=issue, order=order, group_name=name, copies=None, source_group=group
        )
    return record


def _imported_parent():
    parent = RecipientGroup.objects.filter(name=IMPORTED_GROUP_NAME, parent=None).first()
    return parent or RecipientGroup.objects.create(
        name=IMPORTED_GROUP_NAME,
        is_active=False,
        description="导入往期“发：”行时自动建立，存放库中没有的分组；核对后可移到正确位置并设为有效。",
    )


def mark_corrected(entry_or_record, user):
    """Stamp who corrected an entry (or a whole record) and when."""
    entry_or_record.corrected_by = user
    entry_or_record.corrected_at = timezone.now()
