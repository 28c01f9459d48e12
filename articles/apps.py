from django.apps import AppConfig
from django.core import checks


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        from .search.checks import check_whoosh

        checks.register(check_whoosh)
