"""Keeping Article.search_text (the forward store of matching.py) in step with authors' names.

An article's own fields are folded on every save (models.fill_search_text); the names in its
author line live in other rows, so their changes refresh the articles they appear in.
"""

from django.db.models import signals

from articles.models import Article, Authorship
from people.models import Organisation, Person

from .matching import searchable_text


def refresh(article_ids):
    """Recompute the search text of ``article_ids`` (update(): no version bump, no timestamps)."""
    articles = Article.objects.filter(pk__in=set(article_ids)).prefetch_related(
        "authorships__person", "authorships__organisation"
    )
    for article in articles:
        text = searchable_text(article)
        if text != article.search_text:
            Article.objects.filter(pk=article.pk).update(search_text=text)


# Raw saves (loaddata) too: an article loaded before its author lines needs them afterwards.
def _authorship_changed(sender, instance, **kwargs):
    refresh([instance.article_id])


def _author_renamed(sender, instance, **kwargs):
    refresh(instance.authorships.values_list("article_id", flat=True))


def _article_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    # A save limited to some fields writes no search_text: refresh it when it may have changed.
    if not raw and update_fields is not None and "search_text" not in update_fields:
        refresh([instance.pk])


def connect():
    signals.post_save.connect(_authorship_changed, sender=Authorship, dispatch_uid="st.a")
    signals.post_delete.connect(_authorship_changed, sender=Authorship, dispatch_uid="st.ad")
    signals.post_save.connect(_author_renamed, sender=Person, dispatch_uid="st.p")
    signals.post_save.connect(_author_renamed, sender=Organisation, dispatch_uid="st.o")
    signals.post_save.connect(_article_saved, sender=Article, dispatch_uid="st.s")
