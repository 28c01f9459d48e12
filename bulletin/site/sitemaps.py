"""sitemap.xml: the pages readers can reach, and nothing unpublished.

sitemap.xml is an index naming one file per section and page (sitemap-articles.xml?p=2); each
file holds at most PAGE_SIZE URLs, far below the protocol's 50,000, so that one file is quick
to build even when not cached. Every queryset here uses the models' reading rules
(Issue.objects.public(), Article.objects.public(), Section.objects.listed(); authors as in
articles.authors: credited on a public article)
and loads only the columns it prints; each sitemap costs a constant number of queries (a count
and a page, plus one aggregate for the index's lastmod).
"""

import datetime
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Authorship, Section
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
    """Author pages: people or organisations credited on a published article.

    The rule of articles.authors (credited on an article readers can see), applied as one
    grouped query over the credits of public articles, which also gives each author's newest
    article: a correlated subquery per author costs far more at thousands of authors.
    """

    field = ""  # the Authorship field: "person" or "organisation"
    path = None  # a PathTemplate of the author page

    def credits(self):
        return Authorship.objects.filter(
            article__in=Article.objects.public(), **{f"{self.field}__isnull": False}
        )

    def items(self):
        return (
            self.credits()
            .order_by(self.field)
            .values(self.field)
            .annotate(last_article_update=Max("article__updated_at"))
        )

    def location(self, credit):
        return self.path(credit[self.field])

    def lastmod(self, credit):
        return credit["last_article_update"]

    def get_latest_lastmod(self):
        return newest(self.credits(), "article__updated_at")


class PersonSitemap(AuthorSitemap):
    field = "person"
    path = PathTemplate("articles:person")


class OrganisationSitemap(AuthorSitemap):
    field = "organisation"
    path = PathTemplate("articles:organisation")


sitemaps = {
    "static": StaticViewSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
}


def sitemap_file(request, sitemaps, section):
    """One file of the sitemap. Django's view finds the section and the page (404 for one that
    does not exist); the XML is written here, as its template writes it, without the template
    engine, which needs most of a second for a file of 5,000 URLs."""
    response = sitemap_views.sitemap(request, sitemaps, section=section)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in response.context_data["urlset"]:
        entry = f"<url><loc>{escape(url['location'])}</loc>"
        if url["lastmod"]:
            entry += f"<lastmod>{_date(url['lastmod'])}</lastmod>"
        if url["changefreq"]:
            entry += f"<changefreq>{escape(url['changefreq'])}</changefreq>"
        if url["priority"]:
            entry += f"<priority>{escape(url['priority'])}</priority>"
        lines.append(entry + "</url>")
    lines.append("</urlset>\n")
    answer = HttpResponse("\n".join(lines), content_type="application/xml")
    answer["X-Robots-Tag"] = response["X-Robots-Tag"]
    return answer


def _date(value):
    """A lastmod as the template's |date:"Y-m-d" prints it: the day in the site's time zone."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d")
