import re

from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Publication
from issues.checker import check_issue, errors
from issues.models import Issue

# Exit codes: 0 no error (warnings allowed), 1 errors remain, 2 the issue could not be found.
EXIT_ERRORS = 1
EXIT_BAD_ISSUE = 2


class Command(BaseCommand):
    help = (
        "Run the pre-publication checker (出版前检查) on one issue and print one line per "
        "problem: e.g. `manage.py check_issue 2024-2`. Exits 1 while any error remains "
        "(warnings alone exit 0), 2 when the issue cannot be found."
    )

    def add_arguments(self, parser):
        parser.add_argument("issue", help="YEAR-NUMBER of an issue of the site's publication")

    def handle(self, *args, **options):
        issue = self._issue(options["issue"])
        problems = check_issue(issue)
        for problem in problems:
            style = self.style.ERROR if problem.is_error else self.style.WARNING
            self.stdout.write(style(problem.as_line()))
        found = len(errors(problems))
        summary = (
            f"{issue.year}-{issue.number}: {found} error(s), {len(problems) - found} warning(s)."
        )
        if found:
            raise CommandError(f"{summary} Fix the errors before approval.", returncode=EXIT_ERRORS)
        self.stdout.write(self.style.SUCCESS(summary))

    def _issue(self, value):
        match = re.fullmatch(r"(\d{4})-(\d{1,3})", value.strip())
        if not match:
            raise CommandError(
                f"The issue must be given as YEAR-NUMBER, e.g. 2024-2 (got {value!r}).",
                returncode=EXIT_BAD_ISSUE,
            )
        publication = Publication.objects.current()
        if publication is None:
            raise CommandError(
                "There is no publication yet: create one in the admin first.",
                returncode=EXIT_BAD_ISSUE,
            )
        year, number = map(int, match.groups())
        issue = Issue.objects.filter(publication=publication, year=year, number=number).first()
        if issue is None:
            raise CommandError(
                f"No issue {year}-{number} of {publication.name} exists.",
                returncode=EXIT_BAD_ISSUE,
            )
        return issue
