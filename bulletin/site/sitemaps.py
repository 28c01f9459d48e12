"""sitemap.xml: the pages readers can reach, and nothing unpublished.

sitemap.xml is an index naming one file per section and page (sitemap-articles.xml?p=2); each
file holds at most PAGE_SIZE URLs, far below the protocol's 50,000, so that one file is quick
to build even when not cached. Every queryset here uses the models' reading rules
(Issue.objects.public(), Article.objects.public(), Section.objects.listed(), articles.authors)
and loads only the columns it prints; each sitemap costs a constant number of queries (a count
and a page, plus one aggregate for the index's lastmod).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from articles.authors import public_organisations, public_people
from articles.models import Article, Section
from issues.models import Issue

# URLs per sitemap file: a page of 5,000 renders in well under 200 ms; the protocol allows 50,000.
PAGE_SIZE = 5000


def latest_update(articles):
    """A subquery: the newest updated_at among ``articles`` (for a lastmod annotation)."""
    return Subquery(articles.order_by("-updated_at").values("updated_at")[:1])


def newest(queryset, field="updated_at"):
    """The newest ``field`` in ``queryset``: the index's lastmod of a sitemap, in one query
    (Django's default would load every item to compute it)."""
    return queryset.order_by().aggregate(newest=Max(field))["newest"]


class PathTemplate:
    """A URL pattern's path for many ids without one reverse() per id (what makes a page of
    thousands of URLs slow): reverse once with a placeholder and format after."""

    PLACEHOLDER = 987654321

    def __init__(self, name):
        self.name = name
        self._template = None

    def __call__(self, pk):
        if self._template is None:
            path = reverse(self.name, kwargs={"pk": self.PLACEHOLDER})
            self._template = path.replace(str(self.PLACEHOLDER), "{}")
        return self._template.format(pk)


class PagedSitemap(Sitemap):
    limit = PAGE_SIZE


class StaticViewSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["bulletin:home", "issues:archive"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(PagedSitemap):
    def items(self):
        return (
            Issue.objects.public()
            .only("year", "number", "updated_at", "published_at")
            .order_by("-year", "-number")
        )

    def lastmod(self, issue):
        return issue.updated_at or issue.published_at

    def get_latest_lastmod(self):
        return newest(Issue.objects.public())


class ArticleSitemap(PagedSitemap):
    path = PathTemplate("articles:detail")

    def items(self):
        return Article.objects.public().values("pk", "updated_at").order_by("pk")

    def location(self, article):
        return self.path(article["pk"])

    def lastmod(self, article):
        return article["updated_at"]

    def get_latest_lastmod(self):
        return newest(Article.objects.public())


class SectionSitemap(PagedSitemap):
    """Every section page (listed sections), last modified with its newest article."""

    def items(self):
        in_subtree = Article.objects.public().filter(
            section__tree_id=OuterRef("tree_id"),
            section__lft__gte=OuterRef("lft"),
            section__lft__lte=OuterRef("rght"),
        )
        return (
            Section.objects.listed()
            .annotate(last_article_update=latest_update(in_subtree))
            .only("slug")
        )

    def lastmod(self, section):
        return section.last_article_update

    def get_latest_lastmod(self):
        return newest(Article.objects.public().filter(section__in=Section.objects.listed()))


class AuthorSitemap(PagedSitemap):
    """Author pages: people or organisations credited on a published article."""

    authors = None  # articles.authors.public_people or public_organisations
    path = None  # a PathTemplate of the author page

    def items(self):
        authors = self.authors()
        credited = Article.objects.public().filter(
            **{f"authorships__{authors.authorship_field}": OuterRef("pk")}
        )
        return (
            authors.annotate(last_article_update=latest_update(credited))
            .values("pk", "last_article_update")
            .order_by("pk")
        )

    def location(self, author):
        return self.path(author["pk"])

    def lastmod(self, author):
        return author["last_article_update"]

    def get_latest_lastmod(self):
        field = self.authors().authorship_field
        return newest(Article.objects.public().filter(**{f"authorships__{field}__isnull": False}))


class PersonSitemap(AuthorSitemap):
    authors = staticmethod(public_people)
    path = PathTemplate("articles:person")


class OrganisationSitemap(AuthorSitemap):
    authors = staticmethod(public_organisations)
    path = PathTemplate("articles:organisation")


sitemaps = {
    "static": StaticViewSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
}
