"""sitemap.xml: the pages readers can reach, and nothing unpublished.

Every queryset here starts from Article.objects.published() / Issue.objects.published() of the
current publication, and each sitemap costs a constant number of queries (a count and a page).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse

from articles.models import Article, Section
from issues.models import Issue
from people.models import Organisation, Person


def published_articles():
    """What readers may see: published articles of the current publication's published issues."""
    return Article.objects.published().of_current_publication()


def latest_update(articles):
    """A subquery: the newest updated_at among ``articles`` (for a lastmod annotation)."""
    return Subquery(articles.order_by("-updated_at").values("updated_at")[:1])


class StaticViewSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["bulletin:home", "issues:archive"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(Sitemap):
    def items(self):
        return (
            Issue.objects.published()
            .of_current_publication()
            .only("year", "number", "updated_at", "published_at")
            .order_by("-year", "-number")
        )

    def lastmod(self, issue):
        return issue.updated_at or issue.published_at


class ArticleSitemap(Sitemap):
    def items(self):
        return published_articles().only("pk", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(Sitemap):
    """Sections whose page lists something: a published article in the section or below it."""

    def items(self):
        in_subtree = published_articles().filter(
            section__tree_id=OuterRef("tree_id"),
            section__lft__gte=OuterRef("lft"),
            section__lft__lte=OuterRef("rght"),
        )
        return (
            Section.objects.filter(Exists(in_subtree))
            .annotate(last_article_update=latest_update(in_subtree))
            .only("slug")
            .order_by("tree_id", "lft")
        )

    def lastmod(self, section):
        return section.last_article_update


class AuthorSitemap(Sitemap):
    """People or organisations credited on a published article. The same tables hold the
    distribution list and staff, which are internal: only published authors have public pages."""

    model = None
    authorship_field = None

    def items(self):
        articles = published_articles().filter(
            **{f"authorships__{self.authorship_field}": OuterRef("pk")}
        )
        return (
            self.model.objects.filter(Exists(articles))
            .annotate(last_article_update=latest_update(articles))
            .only("pk")
            .order_by("pk")
        )

    def lastmod(self, author):
        return author.last_article_update


class PersonSitemap(AuthorSitemap):
    model = Person
    authorship_field = "person"


class OrganisationSitemap(AuthorSitemap):
    model = Organisation
    authorship_field = "organisation"


sitemaps = {
    "static": StaticViewSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
}
