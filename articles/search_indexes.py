import html
import time

import nh3
from haystack import indexes

from .models import Article, Section
from .search.analysis import BigramAnalyzer, JiebaAnalyzer
from .search.matching import KICKER, SUBTITLE, TITLE, field_lines

# Only the head of a long body feeds the word segmenter: ranking cares about the title and the
# lead, and segmenting whole articles would halve the indexing rate.
WORDS_FROM_BODY = 200
SECTION_PATHS_TTL = 30  # seconds


class ColumnField(indexes.IntegerField):
    """An integer kept per document for ranking and sorting, not searchable."""

    column_only = True


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """Published articles, for the search page and the search API.

    ``text`` finds: the article's search text (search/matching.py), as terms of one to three
    units. ``title``, ``lead`` (subtitle and kicker) and ``words`` rank: a query found in the
    title comes first, then in the lead, then jieba's words of the headline and body by BM25.
    ``article_id`` lets the engine verify candidates against Article.search_text.
    """

    text = indexes.CharField(document=True, analyzer=BigramAnalyzer())
    title = indexes.CharField(analyzer=BigramAnalyzer())
    lead = indexes.CharField(analyzer=BigramAnalyzer())
    words = indexes.CharField(analyzer=JiebaAnalyzer())
    section_ids = indexes.MultiValueField(indexed=True, stored=False)
    author_ids = indexes.MultiValueField(indexed=True, stored=False)
    year = indexes.IntegerField(stored=False)
    publication = indexes.IntegerField(stored=False)
    recency = ColumnField(stored=False)
    text_length = ColumnField(stored=False)
    article_id = ColumnField(stored=False)

    _section_paths = None
    _section_paths_at = 0.0

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            Article.objects.published()
            .select_related("issue__publication", "section")
            .with_authors()
        )

    def read_queryset(self, using=None):
        return self.index_queryset(using)

    def prepare(self, obj):
        data = super().prepare(obj)
        data["text_length"] = len(data["text"])  # for BM25's length normalisation
        return data

    def prepare_text(self, article):
        # The stored forward store, kept current on every save (models.fill_search_text,
        # search/forward.py): what the index finds is what verification and the fallback read.
        return article.search_text

    def prepare_title(self, article):
        return field_lines(article.search_text)[TITLE]

    def prepare_lead(self, article):
        lines = field_lines(article.search_text) + ["", "", ""]
        return f"{lines[SUBTITLE]}\n{lines[KICKER]}"

    def prepare_article_id(self, article):
        return article.pk

    def prepare_words(self, article):
        return f"{article.title}\n{article.subtitle}\n{body_text(article)[:WORDS_FROM_BODY]}"

    def prepare_section_ids(self, article):
        return self.section_path(article.section_id)

    def prepare_author_ids(self, article):
        return [author_key(a) for a in article.authorships.all()]

    def prepare_publication(self, article):
        return article.issue.publication_id if article.issue else 0

    def prepare_year(self, article):
        return article.issue.year if article.issue else None

    def prepare_recency(self, article):
        """Newest issue first, then print order within the issue."""
        if article.issue is None:
            return 0
        position = min(article.start_page or 0, 999)
        return article.issue.year * 1_000_000 + article.issue.number * 1_000 + (999 - position)

    def section_path(self, section_id):
        """Ids of the section and its ancestors, so a filter on a section finds its children's."""
        stale = time.monotonic() - self._section_paths_at > SECTION_PATHS_TTL
        if self._section_paths is None or stale or section_id not in self._section_paths:
            self._load_section_paths()
        return self._section_paths.get(section_id, [str(section_id)])

    def _load_section_paths(self):
        parents = dict(Section.objects.values_list("pk", "parent_id"))
        paths = {}
        for pk in parents:
            path, node = [], pk
            while node is not None and node not in path:
                path.append(node)
                node = parents.get(node)
            paths[pk] = [str(node) for node in path]
        self._section_paths, self._section_paths_at = paths, time.monotonic()


def author_key(authorship):
    return f"p{authorship.person_id}" if authorship.person_id else f"o{authorship.organisation_id}"


def body_text(article):
    """The body as plain text, worked out once per loaded article (indexing asks twice)."""
    cached = article.__dict__.get("_search_body_text")
    if cached is None or cached[0] is not article.body:
        cached = article.__dict__["_search_body_text"] = (
            article.body,
            html.unescape(nh3.clean(article.body, tags=set())),  # strip_tags, 3x faster
        )
    return cached[1]
