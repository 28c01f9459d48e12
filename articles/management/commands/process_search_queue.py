from django.core.management.base import BaseCommand, CommandError

from articles.search.indexing import apply_queue


class Command(BaseCommand):
    help = (
        "Apply queued search-index changes. Changes are applied automatically after each edit; "
        "this catches up after the index was busy or unavailable (safe to run at any time)."
    )

    def handle(self, *args, **options):
        try:
            count = apply_queue()
        except Exception as exc:
            raise CommandError(f"Search index not updated; changes stay queued: {exc}") from exc
        self.stdout.write(f"Search index: {count} article(s) refreshed.")
