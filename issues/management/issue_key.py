"""The issue a command names as YEAR-NUMBER (2024-2), of the site's publication."""

import re

from django.core.management.base import CommandError

from bulletin.models import Publication
from issues.models import Issue


def issue_from_key(value, *, returncode=2):
    """The Issue ``value`` names, or CommandError (exit ``returncode``) saying what is wrong."""
    match = re.fullmatch(r"(\d{4})-(\d{1,3})", value.strip())
    if not match:
        raise CommandError(
            f"The issue must be given as YEAR-NUMBER, e.g. 2024-2 (got {value!r}).",
            returncode=returncode,
        )
    publication = Publication.objects.current()
    if publication is None:
        raise CommandError(
            "There is no publication yet: create one in the admin first.", returncode=returncode
        )
    year, number = map(int, match.groups())
    issue = Issue.objects.filter(publication=publication, year=year, number=number).first()
    if issue is None:
        raise CommandError(
            f"No issue {year}-{number} of {publication.name} exists.", returncode=returncode
        )
    return issue
