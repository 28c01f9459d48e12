"""Running a reader's query: every published article containing the text, best first.

What matches is defined once, in matching.py: every query word occurs in the article's search
text (Article.search_text). On Whoosh the index finds candidates and every candidate the index
cannot settle by itself is verified against that text, so counts are exact. On Whoosh the query runs on the index through engine.py
(haystack's query layer re-parses strings with operators, which a reader's input must never
trigger, and Whoosh's matchers are too slow for common terms); on another haystack backend it
runs through SearchQuerySet. If the index is missing, incomplete (re-created empty after it
was deleted), empty while articles are published, or broken, the database answers instead:
slower, equally correct, and a warning is logged.
"""

import logging
import re
from dataclasses import dataclass, field
from itertools import pairwise

from django.core.paginator import Paginator
from django.db.models import Q
from haystack import connections
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article
from bulletin.models import Publication

from . import engine, matching
from .analysis import refresh_names, run_terms, runs, words
from .backend import ChineseWhooshSearchBackend, IndexUnavailable
from .engine import Term
from .highlight import highlight
from .verify import verifier

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
MAX_PAGE_SIZE = 100
SORTS = ("relevance", "date")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


class NotIndexed(Exception):
    """The query cannot be answered by the index by design (not a failure).

    Its own class: a KeyError or IndexError from the engine is a failure, to be logged.
    """


@dataclass
class SearchHit:
    article: Article
    highlight: str


@dataclass
class SearchResults:
    query: str
    words: list[str]
    count: int = 0
    page: int = 1
    page_size: int = 20
    hits: list[SearchHit] = field(default_factory=list)
    from_database: bool = False

    @property
    def num_pages(self):
        return max(1, -(-self.count // self.page_size))


def clean_query(raw: str) -> tuple[str, list[str]]:
    """The query as it will be searched, and its folded words (matching.query_words)."""
    text = _CONTROL.sub(" ", raw or "")[:MAX_QUERY_LENGTH].strip()
    shown, found = [], []
    for part in matching.query_parts(text):
        word = matching.fold_line(part)
        if runs(word) and word not in found:
            shown.append(part)
            found.append(word)
    return " ".join(shown), found


def search_articles(raw_query, *, section=None, year=None, author=None, sort="relevance",
                    page=1, page_size=20) -> SearchResults:  # fmt: skip
    """Search published articles. ``author`` is "p<id>" for a person or "o<id>" for an
    organisation; ``section`` a Section (its sub-sections are included)."""
    query, query_words = clean_query(raw_query)
    results = SearchResults(query=query, words=query_words, page=page,
                            page_size=min(max(page_size, 1), MAX_PAGE_SIZE))  # fmt: skip
    if not query_words:
        return results
    pieces = [units for word in query_words for units in runs(word)]
    publication = Publication.objects.current()
    filters = {"section": section, "year": year, "author": author, "publication": publication}
    backend = connections["default"].get_backend()
    try:
        if isinstance(backend, ChineseWhooshSearchBackend):
            ids, count = _whoosh_ids(backend, pieces, query_words, filters, sort, results)
        else:
            ids, count = _haystack_ids(query_words, filters, sort, results)
    except NotIndexed:
        ids, count = _database_ids(query_words, filters, sort, results)
    except IndexUnavailable as exc:
        logger.warning("%s; answering from the database (run manage.py ensure_search_index)", exc)
        ids, count = _database_ids(query_words, filters, sort, results)
        results.from_database = True
    except (AttributeError, TypeError, NameError):
        # Not a missing or unreadable index but code that does not fit the installed Whoosh (see
        # checks.py), or a bug: readers still get an answer, operators an error with its traceback.
        logger.exception(
            "Search engine failed (a bug, or an unsupported Whoosh); answering from the database"
        )
        ids, count = _database_ids(query_words, filters, sort, results)
        results.from_database = True
    except Exception:
        logger.warning("Search index unavailable; answering from the database", exc_info=True)
        ids, count = _database_ids(query_words, filters, sort, results)
        results.from_database = True
    results.count = count
    articles = (
        Article.objects.published()
        .filter(pk__in=ids, issue__publication=publication)
        .select_related("issue", "section")
        .with_authors()
        .defer("search_text")  # as long as the body, and not shown
        .in_bulk()
    )
    results.hits = [
        SearchHit(articles[pk], highlight(articles[pk], query_words))
        for pk in ids
        if pk in articles
    ]
    # An article unpublished a moment ago may still be in the index: not shown, not counted.
    results.count -= len(ids) - len(results.hits)
    return results


# -- Whoosh ---------------------------------------------------------------------------------------


def _whoosh_ids(backend, pieces, query_words, filters, sort, results):
    if not backend.setup_complete:
        backend.setup()
    word_terms = [
        [term for units in runs(word) for term in run_terms(units)] for word in query_words
    ]
    text_terms = list(dict.fromkeys(Term("text", term) for terms in word_terms for term in terms))
    must = list(text_terms)
    if filters["section"] is not None:
        must.append(Term("section_ids", str(filters["section"].pk)))
    if filters["year"]:
        must.append(Term("year", int(filters["year"])))
    if filters["author"]:
        must.append(Term("author_ids", filters["author"]))
    # Trigrams only say whether a phrase may be there; bigrams carry the counts BM25 weighs.
    pairs = [a + b for word in query_words for units in runs(word) for a, b in pairwise(units)]
    rank = list(dict.fromkeys([*text_terms, *(Term("text", pair) for pair in pairs)]))
    refresh_names()
    rank += [Term("words", word) for word in dict.fromkeys(words(" ".join(query_words)))]
    # Also for exact words: it works out each hit's tier (the words in its title or lead).
    verify = verifier(query_words)
    searcher = backend.searcher()
    if not searcher.doc_count_all():
        articles = Article.objects.published().filter(issue__publication=filters["publication"])
        if articles.exists():
            raise IndexUnavailable(f"the search index in {backend.path} has no documents")
        return [], 0  # nothing published yet
    publication = filters["publication"].pk if filters["publication"] else 0
    # Every document has a publication: filter only when some are of another one.
    if searcher.doc_frequency("publication", publication) < searcher.doc_count_all():
        must.append(Term("publication", publication))
    found = engine.search(
        searcher,
        must=must,
        rank=rank,
        by_date=sort == "date",
        offset=(results.page - 1) * results.page_size,
        limit=results.page_size,
        verify=verify,
    )
    ids = [int(searcher.stored_fields(docnum)["django_id"]) for docnum in found.docnums]
    return ids, found.total


# -- other haystack backends (Elasticsearch) ------------------------------------------------------


def _haystack_ids(query_words, filters, sort, results):
    sqs = SearchQuerySet().models(Article)
    sqs = sqs.filter(publication=filters["publication"].pk if filters["publication"] else 0)
    for word in query_words:
        sqs = sqs.filter(content=Exact(word))
    if filters["section"] is not None:
        sqs = sqs.filter(section_ids=str(filters["section"].pk))
    if filters["year"]:
        sqs = sqs.filter(year=int(filters["year"]))
    if filters["author"]:
        sqs = sqs.filter(author_ids=filters["author"])
    if sort == "date":
        sqs = sqs.order_by("-recency")
    start = (results.page - 1) * results.page_size
    page = sqs[start : start + results.page_size]
    return [int(result.pk) for result in page], sqs.count()


# -- the database, when the index cannot answer ---------------------------------------------------


def contains(word):
    """Articles whose search text may hold ``word``: exact for a word without Latin ends, a
    superset otherwise (matching.matches settles those)."""
    return Q(search_text__contains=word)


def _database_ids(query_words, filters, sort, results):
    articles = Article.objects.published().filter(issue__publication=filters["publication"])
    for word in query_words:
        articles = articles.filter(contains(word))
    if filters["section"] is not None:
        articles = articles.filter(
            section__in=filters["section"].get_descendants(include_self=True)
        )
    if filters["year"]:
        articles = articles.filter(issue__year=int(filters["year"]))
    if filters["author"]:
        kind, pk = filters["author"][0], filters["author"][1:]
        key = "authorships__person" if kind == "p" else "authorships__organisation"
        articles = articles.filter(**{key: pk})
    order = ("-issue__year", "-issue__number", "start_page", "pk")
    if any(map(matching.needs_pattern, query_words)):
        ids = [
            pk
            for pk, text in articles.order_by(*order).values_list("pk", "search_text").distinct()
            if matching.matches(text, query_words)
        ]
    else:
        ids = articles.order_by(*order).values_list("pk", flat=True).distinct()
    paginator = Paginator(ids, results.page_size)
    if results.page > paginator.num_pages:
        return [], paginator.count
    return list(paginator.page(results.page).object_list), paginator.count
