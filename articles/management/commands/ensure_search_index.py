from django.core.management import call_command
from django.core.management.base import BaseCommand
from haystack import connections

from articles.search.backend import ChineseWhooshSearchBackend


class Command(BaseCommand):
    help = (
        "Build the search index when it is missing, empty, incomplete (re-created after its "
        "folder was deleted) or outdated (an older schema); leave a usable index alone. "
        "Safe at every start."
    )

    def handle(self, *args, **options):
        backend = connections["default"].get_backend()
        if not isinstance(backend, ChineseWhooshSearchBackend):
            self.stdout.write("Search index: not a Whoosh index; nothing checked.")
            return
        state = backend.state()
        if state == "ready":
            self.stdout.write("Search index: present; nothing to do.")
            return
        self.stdout.write(f"Search index: {state}; building it (rebuild_index).")
        call_command("rebuild_index", interactive=False, verbosity=0)
        self.stdout.write(f"Search index: built ({backend.state()}).")
