from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues import printing
from issues.management.issue_key import issue_from_key


class Command(BaseCommand):
    help = (
        "Write the print PDF of one issue (any state), laid out as the staff proof: "
        "e.g. `manage.py issue_pdf 2024-2 -o issue.pdf`. Nothing is stored in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("issue", help="YEAR-NUMBER of an issue of the site's publication")
        parser.add_argument(
            "-o", "--output", help="the PDF file to write (default: <slug>-YEAR-NN.pdf)"
        )

    def handle(self, *args, **options):
        issue = issue_from_key(options["issue"], returncode=1)
        try:
            content = printing.issue_pdf(issue)
        except printing.PdfUnavailable as exc:
            raise CommandError(f"Cannot make the PDF: {exc}") from exc
        path = Path(options["output"] or printing.pdf_filename(issue))
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path} ({len(content):,} bytes) for {issue.year}-{issue.number}"
            )
        )
