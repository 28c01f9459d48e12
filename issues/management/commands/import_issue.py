import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from articles.importers.errors import ImporterError
from articles.importers.pdf_text import extract_print_text, is_pdf
from articles.importers.print_text import parse_print_text
from bulletin.models import Publication
from bulletin.workflow import WorkflowError
from issues.importing import existing_issue, save_parsed_issue
from issues.models import NUMBER_MAX, NUMBER_MIN, YEAR_MAX, YEAR_MIN


class Command(BaseCommand):
    help = (
        "Import one issue from its print PDF (kept as the issue's PDF) or the plain text "
        "extracted from it: table of contents, articles, authors, end notes and colophon. "
        "The issue is created as a draft unless "
        "--publish is given; an existing issue with the same year and number is never "
        "overwritten without --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the issue's print PDF, or its text (UTF-8 or GB18030)")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--number", type=int, required=True, help="issue number in the year")
        parser.add_argument("--total", type=int, help="running number since the first issue")
        parser.add_argument("--publish", action="store_true", help="publish the issue at once")
        parser.add_argument("--replace", action="store_true", help="replace an existing issue")
        parser.add_argument("--dry-run", action="store_true", help="parse and report only")
        parser.add_argument("--json", action="store_true", help="print the parsed issue as JSON")
        parser.add_argument("--publication", help="publication slug (default: the site's)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        if not (
            NUMBER_MIN <= options["number"] <= NUMBER_MAX
            and YEAR_MIN <= options["year"] <= YEAR_MAX
        ):
            raise CommandError(
                "--year must be a year such as 2024 "
                f"and --number between {NUMBER_MIN} and {NUMBER_MAX}."
            )
        pdf = is_pdf(data)
        try:
            parsed = parse_print_text(extract_print_text(data) if pdf else data)
        except ImporterError as exc:
            raise CommandError(f"{path}: {exc}") from exc

        # With --json, stdout carries only the JSON; the report goes to stderr.
        report = self.stderr if options["json"] else self.stdout
        publication = self._publication(options["publication"], required=not options["dry_run"])
        issue_info = {
            "year": options["year"],
            "number": options["number"],
            "total_number": options["total"],
            "status": "published" if options["publish"] else "draft",
        }
        if options["json"]:
            self.stdout.write(
                json.dumps(parsed.to_json(issue=issue_info), ensure_ascii=False, indent=2)
            )
        self._report(report, parsed)

        old = publication and existing_issue(
            publication=publication, year=options["year"], number=options["number"]
        )
        if old and not options["replace"]:
            raise CommandError(
                f"{old.display_title} already exists; nothing was written. "
                "Use --replace to replace it with this file."
            )
        if options["dry_run"]:
            report.write("Dry run: nothing was written.")
            return
        try:
            issue = save_parsed_issue(
                parsed=parsed,
                publication=publication,
                year=options["year"],
                number=options["number"],
                total_number=options["total"],
                publish=options["publish"],
                replace=options["replace"],
                # Known to be a PDF by its content, whatever the file is called; it is stored
                # under the issue's own name.
                pdf=ContentFile(data, name="print.pdf") if pdf else None,
            )
        except ImporterError as exc:
            raise CommandError(str(exc)) from exc
        except WorkflowError as exc:  # --publish: the checker refused 签发; nothing was written
            raise CommandError(f"Not published, nothing was written: {exc}") from exc
        report.write(
            self.style.SUCCESS(
                f"Imported {issue.display_title} ({issue.get_status_display()}): "
                f"{issue.articles.count()} articles."
                + (" The PDF is kept as the issue's PDF." if pdf else "")
            )
        )

    def _publication(self, slug, *, required):
        publication = (
            Publication.objects.filter(slug=slug).first() if slug else Publication.objects.current()
        )
        if publication is None and (required or slug):
            raise CommandError(
                f"No publication {slug!r}."
                if slug
                else "No publication exists yet: create one "
                "in the admin (刊物) first, or run `make run` to load the demo."
            )
        return publication

    def _report(self, out, parsed):
        out.write(
            f"Parsed {len(parsed.articles)} articles in {len(parsed.sections)} sections: "
            + "、".join(parsed.sections)
        )
        for warning in parsed.warnings:
            out.write(f"warning: {warning}")
