"""Each readers' page costs a fixed number of queries, whatever the size of the archive: the
same with 5 articles as with 50 (rendered afresh, not from the page cache)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

# A generous ceiling for any one page; the real check is that the count does not grow. The
# sitemap index asks each of its six sitemaps for a count and a newest date.
MAX_QUERIES = 15
MAX_QUERIES_SITEMAP_INDEX = 25


class Archive:
    """Published issues of 2024 in a parent section and its child, each article credited to
    a person and an organisation, and one author (吴宁) credited on them all."""

    def __init__(self, issues=5):
        publication = PublicationFactory()
        self.parent = SectionFactory(name="市县政协")
        self.sections = [self.parent, SectionFactory(name="来宾市", parent=self.parent)]
        self.everyone = PersonFactory(name="吴宁")
        self.issues = [
            IssueFactory(publication=publication, year=2024, number=n + 1, published=True)
            for n in range(issues)
        ]
        self.count = 0

    def add_articles(self, count):
        for _ in range(count):
            n = self.count = self.count + 1
            article = ArticleFactory(
                issue=self.issues[n % len(self.issues)],
                section=self.sections[n % 2],
                status="published",
                order=n,
            )
            AuthorshipFactory(article=article, person=self.everyone, order=0)
            AuthorshipFactory(article=article, person=PersonFactory(), order=1)
            AuthorshipFactory(article=article, person=None, organisation=OrganisationFactory())
        return self

    def pages(self):
        issue = self.issues[0]
        article = issue.articles.order_by("pk").first()
        return {
            "home": reverse("bulletin:home"),
            "archive": reverse("issues:archive"),
            "year": reverse("issues:year", args=[2024]),
            "issue": issue.get_absolute_url(),
            "article": article.get_absolute_url(),
            "sections": reverse("articles:sections"),
            "section": self.parent.get_absolute_url(),
            "section page 2": self.parent.get_absolute_url() + "?page=2",
            "author": reverse("articles:person", args=[self.everyone.pk]),
            "rss": reverse("articles:feed_rss"),
            "atom": reverse("articles:feed_atom"),
            "section feed": reverse("articles:section_feed_rss", args=[self.parent.slug]),
            "sitemap index": reverse("bulletin:sitemap"),
            **{
                f"sitemap {name}": reverse("bulletin:sitemap_section", kwargs={"section": name})
                for name in ("issues", "articles", "sections", "people", "organisations")
            },
            "api issues": reverse("api:issues"),
            "api issue": reverse("api:issue", args=[2024, 1]),
            "api article": reverse("api:article", args=[article.pk]),
            "api sections": reverse("api:sections"),
        }


def query_counts(client, pages):
    counts = {}
    for name, url in pages.items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        counts[name] = len(queries)
    return counts


def test_queries_per_page_are_bounded(client):
    counts = query_counts(client, Archive().add_articles(5).pages())

    ceiling = {"sitemap index": MAX_QUERIES_SITEMAP_INDEX}
    assert {n: c for n, c in counts.items() if c > ceiling.get(n, MAX_QUERIES)} == {}


def test_queries_per_page_do_not_grow_with_the_archive(client):
    archive = Archive().add_articles(5)
    small = query_counts(client, archive.pages())

    archive.add_articles(45)
    large = query_counts(client, archive.pages())

    assert large == small


def test_a_cached_page_costs_no_query(client):
    home = Archive().add_articles(5).pages()["home"]
    query_counts(client, {"home": home})

    with CaptureQueriesContext(connection) as queries:
        assert client.get(home).status_code == 200

    assert len(queries) == 0
