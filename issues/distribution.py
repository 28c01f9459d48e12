"""Who received an issue: the 发： line generated from the distribution groups, and the
per-issue record (DistributionEntry) taken when an issue is published or marked sent.

How the group tree prints as the 发： line (the seed issue's line is the model):

* each top-level group is one clause; clauses are joined by "；" and the line ends with "。";
* a top-level group without active child groups prints its own name;
* a top-level group whose children have no children of their own prints them as one series
  joined by "、" (自治区政协机关各处室、所属事业单位);
* otherwise each child is a part joined by "，", and a child with children of its own prints
  its descendants as a series joined by "、" (自治区政协主席、党组副书记、副主席、秘书长，副秘书长).

Groups that are inactive, or under an inactive group, are left out. The record is a snapshot:
changing or deleting recipients later never rewrites it.
"""

from django.db import transaction
from django.utils import timezone

from bulletin.text import pinyin_key
from people.models import Recipient, RecipientGroup

from .models import DistributionEntry, Issue, IssueDistribution

IMPORTED_GROUP_NAME = "导入的发送范围"
SERIES, PARTS, CLAUSES, END = "、", "，", "；", "。"


def active_groups():
    """Active groups whose ancestors are all active, in tree order."""
    groups, skipped = [], set()
    for group in RecipientGroup.objects.order_by("tree_id", "lft"):
        if not group.is_active or group.parent_id in skipped:
            skipped.add(group.pk)
            continue
        groups.append(group)
    return groups


def distribution_line_for(groups) -> str:
    """The 发： line (without 发：) for ``groups`` (RecipientGroups, any order); see above."""
    groups = sorted(groups, key=lambda g: (g.tree_id, g.lft))
    present = {group.pk for group in groups}
    children = {}
    roots = []
    for group in groups:
        if group.parent_id in present:
            children.setdefault(group.parent_id, []).append(group)
        else:
            roots.append(group)

    def leaves(group):
        kids = children.get(group.pk)
        if not kids:
            return [group.name]
        return [name for kid in kids for name in leaves(kid)]

    clauses = []
    for root in roots:
        kids = children.get(root.pk, [])
        if not kids:
            clauses.append(root.name)
        elif not any(children.get(kid.pk) for kid in kids):
            clauses.append(SERIES.join(kid.name for kid in kids))
        else:
            clauses.append(PARTS.join(SERIES.join(leaves(kid)) for kid in kids))
    return CLAUSES.join(clauses) + END if clauses else ""


def current_distribution_line() -> str:
    return distribution_line_for(active_groups())


def _sort_name(recipient):
    if recipient.addressee:
        return pinyin_key(recipient.addressee)
    if recipient.person_id:
        return recipient.person.name_pinyin
    if recipient.organisation_id:
        return recipient.organisation.name_pinyin
    return ""


def current_recipients():
    """Active recipients of active groups: tree order, then order, then pinyin of the name."""
    groups = active_groups()
    rank = {group.pk: index for index, group in enumerate(groups)}
    recipients = Recipient.objects.filter(is_active=True, group__in=groups).select_related(
        "group", "person", "organisation"
    )
    return sorted(recipients, key=lambda r: (rank[r.group_id], r.order, _sort_name(r), r.pk))


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
    groups = active_groups()
    record = IssueDistribution.objects.create(
        issue=issue,
        source=source,
        recorded_by=user,
        printed_line=distribution_line_for(groups),
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
