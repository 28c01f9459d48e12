from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from bulletin.models import Publication
from bulletin.site.demo.loader import DemoContentError, load_demo_content
from issues.models import Issue


class Command(BaseCommand):
    help = (
        "Load the demo publication, issues, people and distribution list into an empty database. "
        "Does nothing if a publication or an issue already exists."
    )

    def handle(self, *args, **options):
        if Publication.objects.exists() or Issue.objects.exists():
            self.stdout.write("Database already has content; demo not loaded.")
            return
        try:
            counts = load_demo_content()
        except DemoContentError as exc:
            raise CommandError(f"Demo content is broken, nothing was loaded: {exc}") from exc
        except DatabaseError as exc:
            raise CommandError(
                f"The database refused the demo content, nothing was loaded: {exc}"
            ) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
