from django.apps import AppConfig
from django.core import checks


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "稿件"

    def ready(self):
        from .search import forward
        from .search.checks import check_whoosh

        checks.register(check_whoosh)
        forward.connect()
        self._register_revisions()

    def _register_revisions(self):
        """An article's revisions hold its author lines too, so a revision can show and restore
        the byline as it was (articles/history_admin.py)."""
        import reversion

        from .models import Article, Authorship

        if not reversion.is_registered(Authorship):
            reversion.register(Authorship)
        if not reversion.is_registered(Article):
            reversion.register(Article, follow=["authorships"])
