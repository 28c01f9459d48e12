from django.core.management.base import BaseCommand, CommandError

from issues.checker import check_issue, errors
from issues.management.issue_key import issue_from_key

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
        issue = issue_from_key(options["issue"], returncode=EXIT_BAD_ISSUE)
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
