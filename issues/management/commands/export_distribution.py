import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues import distribution_exports
from issues.management.issue_key import issue_from_key
from people import exports

# Exit codes: 0 written, 1 the export failed, 2 a bad argument (format, issue key, missing issue).
EXIT_FAILED = 1
EXIT_BAD_ARGUMENT = 2


class Command(BaseCommand):
    help = (
        "Export the distribution list (发行名单): the current list, or with --issue YEAR-NUMBER "
        "the list recorded for that issue. Formats: csv (UTF-8 with BOM), xlsx, txt (the 发： "
        "line as printed), labels (A4 PDF of mailing labels). Writes to -o FILE or stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("--issue", help="YEAR-NUMBER of an issue, e.g. 2024-2")
        parser.add_argument(
            "--format", required=True, dest="fmt", help=f"one of: {', '.join(exports.FORMATS)}"
        )
        parser.add_argument(
            "--per-copy",
            action="store_true",
            help="labels: one label per copy instead of one per recipient with the copies printed",
        )
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        fmt = (options["fmt"] or "").strip().lower()
        if fmt not in exports.FORMATS:
            raise CommandError(
                f"Unknown format {options['fmt']!r}: use one of {', '.join(exports.FORMATS)}.",
                returncode=EXIT_BAD_ARGUMENT,
            )
        per_copy = True if options["per_copy"] else None
        try:
            if options["issue"]:
                issue = issue_from_key(options["issue"], returncode=EXIT_BAD_ARGUMENT)
                content = self._issue_export(issue, fmt, per_copy)
                count = None
            else:
                rows = exports.current_rows()
                line = exports.current_line() if fmt == "txt" else None
                content = exports.export(rows, fmt, line=line, per_copy=per_copy)
                count = len(rows)
        except exports.LabelsUnavailable as error:
            raise CommandError(str(error), returncode=EXIT_FAILED) from error
        output = options["output"]
        if output:
            try:
                Path(output).write_bytes(content)
            except OSError as error:
                raise CommandError(
                    f"Cannot write {output}: {error.strerror}.", returncode=EXIT_FAILED
                ) from error
            what = f"{count} recipient(s)" if count is not None else "the issue's record"
            self.stderr.write(f"Wrote {output} ({fmt}, {what}, {len(content)} bytes).")
        else:
            self.stdout.flush()
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(content)
                buffer.flush()
            elif fmt in ("csv", "txt"):
                stream.write(content.decode("utf-8"))
            else:
                raise CommandError(
                    f"A {fmt} export is binary: give a file with -o.", returncode=EXIT_BAD_ARGUMENT
                )

    def _issue_export(self, issue, fmt, per_copy):
        return distribution_exports.export_issue(issue, fmt, per_copy=per_copy)
