"""An issue's recorded distribution (DistributionEntry rows) in the export row shape of
people/exports.py, for the issue's exports: people never imports issues, so the adapting is
here."""

from people import exports
from people.exports import ExportRow

from .models import DistributionEntry


def issue_rows(issue):
    """The issue's recorded distribution in print order, as export rows (empty without one)."""
    return [
        ExportRow(
            group=entry.group_name,
            recipient=entry.recipient,
            contact=entry.contact,
            position=entry.position,
            address=entry.postal_address,
            postcode=entry.postcode,
            phone=entry.phone,
            copies=entry.copies,  # None: unknown (an imported back issue's group entry)
        )
        for entry in DistributionEntry.objects.filter(issue=issue).order_by("order", "pk")
    ]


def issue_line(issue) -> str:
    """The issue's 发： line as printed: the hand override, else the line generated when its
    distribution was recorded, else the current one (Issue.printed_distribution_line)."""
    return issue.printed_distribution_line.strip()


def export_issue(issue, fmt, *, per_copy=None) -> bytes:
    if fmt == "txt":
        return exports.to_txt(issue_line(issue))
    return exports.export(issue_rows(issue), fmt, per_copy=per_copy)


def export_filename(fmt, issue=None) -> str:
    extension = exports.EXTENSIONS[fmt]
    suffix = "-labels" if fmt == "labels" else ""
    if issue is None:
        return f"distribution{suffix}.{extension}"
    return f"distribution-{issue.year}-{issue.number:02d}{suffix}.{extension}"
