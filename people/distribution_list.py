"""The current distribution list: which groups and recipients it holds, in what order, and the
发： line printed from its groups. Exports, the per-issue record and the issue's colophon all
read it from here.

How the group tree prints as the 发： line (the seed issue's line is the model):

* each top-level group is one clause; clauses are joined by "；" and the line ends with "。";
* a top-level group without active child groups prints its own name;
* a top-level group whose children have no children of their own prints them as one series
  joined by "、" (自治区政协机关各处室、所属事业单位);
* otherwise each child is a part joined by "，", and a child with children of its own prints
  its descendants as a series joined by "、" (自治区政协主席、党组副书记、副主席、秘书长，副秘书长);
* a group with subgroups that also has recipients of its own is named first in its series or
  parts: it receives the issue too, it is not only a heading.

Groups that are inactive, or under an inactive group, are left out.
"""

from bulletin.text import pinyin_key

from .models import Recipient, RecipientGroup

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


def distribution_line_for(groups, addressed=()) -> str:
    """The 发： line (without 发：) for ``groups`` (RecipientGroups, any order); see above.
    ``addressed``: ids of the groups with recipients of their own."""
    groups = sorted(groups, key=lambda g: (g.tree_id, g.lft))
    present = {group.pk for group in groups}
    children = {}
    roots = []
    for group in groups:
        if group.parent_id in present:
            children.setdefault(group.parent_id, []).append(group)
        else:
            roots.append(group)

    def own(group):
        return [group.name] if group.pk in addressed else []

    def leaves(group):
        kids = children.get(group.pk)
        if not kids:
            return [group.name]
        return own(group) + [name for kid in kids for name in leaves(kid)]

    clauses = []
    for root in roots:
        kids = children.get(root.pk, [])
        if not kids:
            clauses.append(root.name)
        elif not any(children.get(kid.pk) for kid in kids):
            clauses.append(SERIES.join(own(root) + [kid.name for kid in kids]))
        else:
            clauses.append(PARTS.join(own(root) + [SERIES.join(leaves(kid)) for kid in kids]))
    return CLAUSES.join(clauses) + END if clauses else ""


def current_distribution_line() -> str:
    """The 发： line of the current list's active groups."""
    groups = active_groups()
    addressed = set(
        Recipient.objects.filter(is_active=True, group__in=groups).values_list("group", flat=True)
    )
    return distribution_line_for(groups, addressed)


def list_order(recipient):
    """A recipient's place in the list: its group's place in the tree, its explicit order,
    then the pinyin of its name (people and organisations by their stored key)."""
    if recipient.addressee:
        name = pinyin_key(recipient.addressee)
    elif recipient.person_id:
        name = recipient.person.name_pinyin
    elif recipient.organisation_id:
        name = recipient.organisation.name_pinyin
    else:
        name = ""
    return (recipient.group.tree_id, recipient.group.lft, recipient.order, name, recipient.pk)


def in_list_order(recipients):
    """``recipients`` (a queryset) loaded and sorted by ``list_order``."""
    recipients = recipients.select_related("group", "person", "organisation")
    return sorted(recipients, key=list_order)


def current_recipients():
    """Active recipients of active groups, in list order."""
    return in_list_order(Recipient.objects.filter(is_active=True, group__in=active_groups()))
