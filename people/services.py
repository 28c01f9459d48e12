"""Writes to people and organisations that other apps' services share."""

from typing import TYPE_CHECKING, NamedTuple

from django.db import transaction
from django.db.models import Max

from .models import Organisation, Person, Recipient

if TYPE_CHECKING:
    from .list_import import ParsedList


class NameMatch(NamedTuple):
    """What ``get_or_create_by_name`` found: the row, and what editors may need to check."""

    found: Person | Organisation
    created: bool = False
    # Several rows carry the name; the oldest was taken.
    ambiguous: bool = False


def get_or_create_by_name(*, name: str, organisation: bool = False) -> NameMatch:
    """The Person printed as ``name`` (padding such as 吴 宁 ignored), or with ``organisation``
    the Organisation of that exact name; created when there is none.

    Importers credit authors by the name printed in the source; the oldest matching row is
    taken so that repeated imports credit the same one.
    """
    model = Organisation if organisation else Person
    rows = Organisation.objects.filter(name=name) if organisation else Person.objects.named(name)
    first_two = list(rows.order_by("pk")[:2])
    if not first_two:
        return NameMatch(model.objects.create(name=name), created=True)
    return NameMatch(first_two[0], ambiguous=len(first_two) > 1)


class ListImportRefused(Exception):
    """The list no longer validates against the database; nothing was written."""

    def __init__(self, errors):
        super().__init__("；".join(str(e) for e in errors))
        self.errors = errors


@transaction.atomic
def import_recipient_list(*, data: bytes, filename: str) -> "ParsedList":
    """Create and update recipients from a list file (people.list_import), all or nothing.

    The file is planned again inside the transaction, so what the preview showed is checked
    against the database as it is now: any bad row refuses the whole file. A row matches the
    recipient of the same group with the same printed name; new ones get the name as free text.
    """
    from .list_import import CREATE, UPDATE, UPDATED_FIELDS, plan_import

    parsed = plan_import(data, filename)
    if parsed.errors:
        raise ListImportRefused(parsed.errors)
    to_update = [row for row in parsed.rows if row.action == UPDATE]
    recipients = Recipient.objects.select_for_update().in_bulk(r.recipient_id for r in to_update)
    for row in to_update:
        recipient = recipients[row.recipient_id]
        for model_field, attr in UPDATED_FIELDS.items():
            setattr(recipient, model_field, getattr(row, attr))
        recipient.full_clean()
        recipient.save(update_fields=list(UPDATED_FIELDS))
    next_order = {}
    for row in parsed.rows:
        if row.action != CREATE:
            continue
        if row.group_id not in next_order:
            last = Recipient.objects.filter(group_id=row.group_id).aggregate(m=Max("order"))["m"]
            next_order[row.group_id] = (last or 0) + 10
        recipient = Recipient(
            group_id=row.group_id,
            addressee=row.name,
            order=next_order[row.group_id],
            **{model_field: getattr(row, attr) for model_field, attr in UPDATED_FIELDS.items()},
        )
        next_order[row.group_id] += 10
        recipient.full_clean()
        recipient.save()
    return parsed
