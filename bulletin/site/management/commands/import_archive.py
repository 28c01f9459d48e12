from django.core.management.base import BaseCommand, CommandError

from bulletin.site.archive import ArchiveError
from bulletin.site.archive_import import import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty database and media folder: "
        "checks every checksum first, loads everything in one transaction (article bodies "
        "sanitized), restores the media files and rebuilds the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to restore")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the content the database already holds (and overwrite media files of "
            "the same name) instead of refusing",
        )

    def handle(self, *args, **options):
        try:
            manifest = import_archive(options["file"], replace=options["replace"])
        except ArchiveError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        for name, count in manifest["counts"].items():
            if count:
                self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"media files: {manifest['media_files']}")
        if manifest["sanitized"]:
            self.stdout.write(f"Rich-text values cleaned by the sanitizer: {manifest['sanitized']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {options['file']} (made {manifest['created_at']}); search index rebuilt."
            )
        )
