"""An issue's recorded distribution (DistributionEntry rows) in the export row shape of
people/exports.py, and the 发： lines: people never imports issues, so the adapting is here.

The entries and the generated 发： line belong to issues/models.py and issues/distribution.py
(another part of the same work); both are looked up when used so that the exports of the current
list keep working while they are absent.
"""

import importlib

from django.apps import apps

from people import exports
from people.exports import ExportRow


class NoDistributionRecord(LookupError):
    """This installation has no per-issue distribution record yet."""


def _distribution_module():
    try:
        return importlib.import_module("issues.distribution")
    except ImportError:
        return None


def entry_model():
    try:
        return apps.get_model("issues", "DistributionEntry")
    except LookupError:
        return None


def issue_rows(issue):
    """The issue's recorded distribution in print order, as export rows."""
    model = entry_model()
    if model is None:
        raise NoDistributionRecord("Issues have no recorded distribution (DistributionEntry).")
    entries = model.objects.filter(issue=issue).order_by("order", "pk")
    return [
        ExportRow(
            group=entry.group_name or "",
            recipient=entry.recipient or "",
            contact=getattr(entry, "contact", "") or "",
            position=getattr(entry, "position", "") or "",
            address=getattr(entry, "postal_address", "") or "",
            postcode=getattr(entry, "postcode", "") or "",
            phone=getattr(entry, "phone", "") or "",
            copies=getattr(entry, "copies", None),  # None: unknown (an imported back issue)
        )
        for entry in entries
    ]


def issue_line(issue, rows=None) -> str:
    """The issue's 发： line as printed (Issue.printed_distribution_line: the hand override,
    else the line generated when its distribution was recorded, else the current one)."""
    printed = getattr(issue, "printed_distribution_line", None)
    if isinstance(printed, str) and printed.strip():
        return printed.strip()
    if issue.distribution_line.strip():
        return issue.distribution_line.strip()
    if rows is None:
        try:
            rows = issue_rows(issue)
        except NoDistributionRecord:
            rows = []
    return exports.fallback_line(rows)


def current_line() -> str:
    """The generated 发： line of the current list (issues/distribution.py), if there is one."""
    module = _distribution_module()
    current = getattr(module, "current_distribution_line", None)
    if current is not None:
        return current()
    generate = getattr(module, "distribution_line_for", None)
    if generate is not None:
        return generate(exports.active_groups())
    return exports.fallback_line(exports.current_rows())


def export_issue(issue, fmt, *, per_copy=None) -> bytes:
    rows = issue_rows(issue) if fmt != "txt" else None
    if fmt == "txt":
        return exports.to_txt(issue_line(issue))
    return exports.export(rows, fmt, per_copy=per_copy)


def export_filename(fmt, issue=None) -> str:
    extension = exports.EXTENSIONS[fmt]
    suffix = "-labels" if fmt == "labels" else ""
    if issue is None:
        return f"distribution{suffix}.{extension}"
    return f"distribution-{issue.year}-{issue.number:02d}{suffix}.{extension}"


# The people admin exports the current list without importing issues: give it the generated line.
exports.register_line_provider(current_line)
