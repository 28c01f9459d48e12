from django.core.management.base import BaseCommand, CommandError

from bulletin.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the editorial groups (编辑, 核稿, 签发, 发行) and their permissions."

    def handle(self, *args, **options):
        try:
            result = setup_roles()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in result.items():
            self.stdout.write(f"{name}: {count} permissions")
