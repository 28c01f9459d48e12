from django.core.management.base import BaseCommand

from issues.services import publish_due


class Command(BaseCommand):
    help = (
        "Publish every approved (已签发) issue whose scheduled time has come. Idempotent and "
        "safe to run from cron every minute, also from two hosts at once."
    )

    def handle(self, *args, **options):
        published = publish_due()
        for issue in published:
            self.stdout.write(f"Published {issue.display_title} (scheduled).")
        if options["verbosity"] > 1 and not published:
            self.stdout.write("Nothing due.")
