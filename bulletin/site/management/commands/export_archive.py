from django.core.management.base import BaseCommand, CommandError

from bulletin.site.archive import ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Write the whole site to one archive file (a zip): publications, issues, articles, "
        "people, organisations, the distribution list and records, workflow logs, revisions, "
        "users and groups (with password hashes), every media file, and a manifest with "
        "counts and SHA-256 checksums. Restore it with import_archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, e.g. backup-2024-03-01.zip")

    def handle(self, *args, **options):
        try:
            manifest = export_archive(options["file"])
        except (ArchiveError, OSError) as exc:
            raise CommandError(f"Archive not written: {exc}") from exc
        for name, count in manifest["counts"].items():
            if count:
                self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"media files: {manifest['media_files']}")
        for name in manifest["missing_media"]:
            self.stderr.write(f"Warning: {name} is referenced by a row but missing from media.")
        self.stdout.write(self.style.SUCCESS(f"Archive written to {options['file']}."))
