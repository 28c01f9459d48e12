import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first administrator if there is none, and print how to log in. "
        "The generated password is kept in BULLETIN_DATA_DIR/admin-login.txt so that later runs "
        "can print it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        login_file = settings.DATA_DIR / "admin-login.txt"
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(f"{username}\n{password}\n", encoding="utf-8")
            login_file.chmod(0o600)
            self.stdout.write(f"Created administrator '{username}'.")
        if login_file.exists():
            saved_user, saved_password = login_file.read_text(encoding="utf-8").split()[:2]
            if User.objects.filter(username=saved_user, is_superuser=True).exists():
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Admin login: {url}  user: {saved_user}  password: {saved_password}"
                    )
                )
                return
        self.stdout.write(f"Admin: {url} (log in with the administrator account you created)")
