import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Publication
from issues import printing
from issues.models import Issue


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
        issue = self._issue(options["issue"])
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

    def _issue(self, value):
        match = re.fullmatch(r"(\d{4})-(\d{1,3})", value.strip())
        if not match:
            raise CommandError(
                f"The issue must be given as YEAR-NUMBER, e.g. 2024-2 (got {value!r})."
            )
        publication = Publication.objects.current()
        if publication is None:
            raise CommandError("There is no publication yet: create one in the admin first.")
        year, number = map(int, match.groups())
        issue = Issue.objects.filter(publication=publication, year=year, number=number).first()
        if issue is None:
            raise CommandError(f"No issue {year}-{number} of {publication.name} exists.")
        return issue
