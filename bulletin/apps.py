from django.apps import AppConfig


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = "刊物"

    def ready(self):
        from .uploads import connect_cleanup

        connect_cleanup()

        from . import pagecache

        pagecache.connect_signals()
