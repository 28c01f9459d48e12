"""Keeping the search index in step with the database.

Any change that can alter what readers find (an article, its authors, its issue's status, a
section or author renamed) queues the affected article ids in SearchQueueEntry, inside the
same transaction. After the commit the queue is applied by one writer at a time; if the index
is busy or broken the entries stay queued and the next change (or `manage.py
process_search_queue`) applies them. Editors never see an error from the index.
"""

import logging
import time

from django.db import transaction
from haystack import connections
from haystack.exceptions import NotHandled

from articles.models import Article, SearchQueueEntry

logger = logging.getLogger(__name__)

BATCH = 500
ATTEMPTS = 4


def queue(article_ids):
    """Queue ``article_ids`` and apply the queue once the current transaction commits."""
    article_ids = {pk for pk in article_ids if pk}
    if not article_ids:
        return
    SearchQueueEntry.objects.bulk_create(SearchQueueEntry(article_id=pk) for pk in article_ids)
    transaction.on_commit(apply_queue_quietly)


def apply_queue_quietly():
    """apply_queue for on_commit: a failure is logged, never raised into a web request."""
    try:
        apply_queue()
    except Exception:  # the entries stay queued for the next attempt
        logger.exception("Search index update failed; changes stay queued")


def apply_queue(*, attempts=None):
    """Apply every queued change; return the number of articles refreshed."""
    attempts = attempts or ATTEMPTS
    total = 0
    while True:
        entries = list(
            SearchQueueEntry.objects.order_by("pk").values_list("pk", "article_id")[:BATCH]
        )
        if not entries:
            return total
        ids = {article_id for _, article_id in entries}
        _apply_with_retries(ids, attempts)
        SearchQueueEntry.objects.filter(pk__in=[pk for pk, _ in entries]).delete()
        total += len(ids)


def _apply_with_retries(ids, attempts):
    for attempt in range(1, attempts + 1):
        try:
            _apply(ids)
            return
        except Exception as exc:
            if attempt == attempts:
                raise
            delay = 0.1 * 2**attempt
            logger.warning("Search index busy or failing (%s); retrying in %.1fs", exc, delay)
            time.sleep(delay)


def _apply(ids):
    backend = connections["default"].get_backend()
    try:
        index = connections["default"].get_unified_index().get_index(Article)
    except NotHandled:
        return
    live = list(index.index_queryset().filter(pk__in=ids))
    gone = ids - {article.pk for article in live}
    removed = [f"articles.article.{pk}" for pk in sorted(gone)]
    if hasattr(backend, "apply"):
        backend.apply(index, updated=live, removed_ids=removed)
    else:  # another haystack backend (Elasticsearch): its own update and remove
        if live:
            backend.update(index, live)
        for identifier in removed:
            backend.remove(identifier)
