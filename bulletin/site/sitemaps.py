"""sitemap.xml: the pages readers can reach, and nothing unpublished.

Every queryset here uses the models' reading rules (Issue.objects.public(),
Article.objects.public(), Section.objects.listed(), articles.authors), and each sitemap costs a
constant number of queries (a count and a page).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from articles.authors import public_organisations, public_people
from articles.models import Article, Section
from issues.models import Issue


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
            Issue.objects.public()
            .only("year", "number", "updated_at", "published_at")
            .order_by("-year", "-number")
        )

    def lastmod(self, issue):
        return issue.updated_at or issue.published_at


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.public().only("pk", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class SectionSitemap(Sitemap):
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


class AuthorSitemap(Sitemap):
    """Author pages: people or organisations credited on a published article."""

    authors = None  # articles.authors.public_people or public_organisations

    def items(self):
        authors = self.authors()
        credited = Article.objects.public().filter(
            **{f"authorships__{authors.authorship_field}": OuterRef("pk")}
        )
        return (
            authors.annotate(last_article_update=latest_update(credited)).only("pk").order_by("pk")
        )

    def lastmod(self, author):
        return author.last_article_update


class PersonSitemap(AuthorSitemap):
    authors = staticmethod(public_people)


class OrganisationSitemap(AuthorSitemap):
    authors = staticmethod(public_organisations)


sitemaps = {
    "static": StaticViewSitemap,
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
}
