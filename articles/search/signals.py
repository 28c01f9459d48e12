"""haystack's signal processor for this project: queue, do not write, inside a transaction."""

from django.db.models import signals
from haystack.signals import BaseSignalProcessor

from articles.models import Article, ArticleImage, Authorship, Section
from issues.models import Issue
from people.models import Organisation, Person

from . import indexing


def affected_article_ids(sender, instance):
    """The articles whose index entry a change to ``instance`` can alter."""
    if sender is Article:
        return [instance.pk]
    if sender in (Authorship, ArticleImage):
        return [instance.article_id]
    if sender is Issue:
        return list(instance.articles.values_list("pk", flat=True))
    if sender is Section:
        descendants = instance.get_descendants(include_self=True)
        return list(Article.objects.filter(section__in=descendants).values_list("pk", flat=True))
    if sender is Person:
        return list(instance.authorships.values_list("article_id", flat=True))
    if sender is Organisation:
        return list(instance.authorships.values_list("article_id", flat=True))
    return []


class QueuedSignalProcessor(BaseSignalProcessor):
    senders = (Article, Authorship, ArticleImage, Issue, Section, Person, Organisation)

    def setup(self):
        for sender in self.senders:
            signals.post_save.connect(self.handle_save, sender=sender)
            # Before the delete: an issue's articles are detached (SET_NULL) without signals.
            signals.pre_delete.connect(self.handle_delete, sender=sender)

    def teardown(self):
        for sender in self.senders:
            signals.post_save.disconnect(self.handle_save, sender=sender)
            signals.pre_delete.disconnect(self.handle_delete, sender=sender)

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw"):  # loading fixtures
            return
        indexing.queue(affected_article_ids(sender, instance))

    def handle_delete(self, sender, instance, **kwargs):
        indexing.queue(affected_article_ids(sender, instance))
