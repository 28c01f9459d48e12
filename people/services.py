"""Writes to people and organisations that other apps' services share."""

from typing import NamedTuple

from .models import Organisation, Person


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
