"""The site layer's pages: the home page, and a walk through every reader page with bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    AuthorshipFactory,
    IssueCreditFactory,
    IssueFactory,
    IssueSectionFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("bulletin:home")


def add_articles(issue, count):
    """Articles with a person and an organisation in their author lines, in two sections."""
    sections = [SectionFactory(), SectionFactory()]
    for section in sections:
        IssueSectionFactory(issue=issue, section=section)
    for i in range(count):
        article = ArticleFactory(issue=issue, section=sections[i % 2], published=True)
        AuthorshipFactory(article=article, person=PersonFactory())
        AuthorshipFactory(article=article, person=None, organisation=OrganisationFactory())


class TestHome:
    def test_loads_with_no_content(self, client):
        response = client.get(HOME)

        assert response.status_code == 200
        assert "还没有发布的期刊" in response.content.decode()

    def test_loads_with_a_publication_but_no_issue(self, client):
        PublicationFactory(name="广西政协工作")

        response = client.get(HOME)

        content = response.content.decode()
        assert response.status_code == 200
        assert "广西政协工作" in content
        assert "还没有发布的期刊" in content

    def test_shows_the_latest_published_issue_and_its_articles(self, client):
        issue = IssueFactory(year=2024, number=2, total_number=301, published=True)
        first = ArticleFactory(issue=issue, status="published", title="自治区政协召开常委会议")
        second = ArticleFactory(issue=issue, status="published", title="让协商更有质量")
        ArticleFactory(issue=issue, status="draft", title="尚未定稿的稿件")
        draft_issue = IssueFactory(year=2024, number=3, total_number=302)
        ArticleFactory(issue=draft_issue, status="published", title="下一期的稿件")

        response = client.get(HOME)

        content = response.content.decode()
        assert response.status_code == 200
        assert "2024年第2期（总第301期）" in content
        assert first.title in content
        assert second.title in content
        assert "尚未定稿的稿件" not in content
        assert "2024年第3期" not in content
        assert "下一期的稿件" not in content

    def test_lists_earlier_issues(self, client):
        IssueFactory(year=2024, number=1, published=True)
        IssueFactory(year=2024, number=2, published=True)

        content = client.get(HOME).content.decode()

        assert "往期" in content
        assert reverse("issues:detail", kwargs={"year": 2024, "number": 1}) in content

    def test_query_count_does_not_grow_with_the_number_of_articles(
        self, client, django_assert_max_num_queries
    ):
        small = IssueFactory(year=2023, number=1, published=True)
        add_articles(small, 1)
        with CaptureQueriesContext(connection) as baseline:
            assert client.get(HOME).status_code == 200
        small.status = Issue.Status.DRAFT
        small.save()

        big = IssueFactory(year=2024, number=1, published=True)
        add_articles(big, 12)
        with django_assert_max_num_queries(len(baseline)):
            response = client.get(HOME)

        assert response.status_code == 200
        assert response.content.decode().count("toc__entry") == 12


def build_corpus(issues=2, articles=3, year=2024):
    """Published issues with sections, credits and articles by a person and an organisation."""
    publication = PublicationFactory()
    sections = [SectionFactory(), SectionFactory(parent=None)]
    child = SectionFactory(parent=sections[0])
    made = []
    for number in range(1, issues + 1):
        issue = IssueFactory(publication=publication, year=year, number=number, published=True)
        for order, section in enumerate([*sections, child]):
            IssueSectionFactory(issue=issue, section=section, order=order)
        IssueCreditFactory(issue=issue, person=PersonFactory())
        for i in range(articles):
            article = ArticleFactory(
                issue=issue, section=[*sections, child][i % 3], published=True, start_page=i + 1
            )
            AuthorshipFactory(article=article, person=PersonFactory(), role="reporter")
            AuthorshipFactory(article=article, person=None, organisation=OrganisationFactory())
            ArticleImageFactory(article=article)
        made.append(issue)
    return made


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def page_urls(issue):
    article = issue.articles.order_by("pk").first()
    person = article.authorships.filter(person__isnull=False).first().person
    organisation = article.authorships.filter(organisation__isnull=False).first().organisation
    return [
        reverse("bulletin:home"),
        reverse("issues:archive"),
        reverse("issues:year", args=[issue.year]),
        issue.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:sections"),
        article.section.get_absolute_url(),
        person.get_absolute_url(),
        organisation.get_absolute_url(),
    ]


def test_every_page_runs_a_bounded_number_of_queries(client, settings):
    small = build_corpus(issues=1, articles=3)
    small_counts = [count_queries(client, url) for url in page_urls(small[0])]
    # Many more issues, articles, authors and images: no page may run more queries.
    big = build_corpus(issues=25, articles=12, year=2023)
    Issue.objects.filter(pk=small[0].pk).update(year=2025)  # keep the small issue the latest
    small[0].refresh_from_db()
    big_counts = [count_queries(client, url) for url in page_urls(big[-1])]
    assert big_counts == small_counts, list(
        zip(page_urls(big[-1]), small_counts, big_counts, strict=True)
    )
    assert max(big_counts) <= 12, big_counts
