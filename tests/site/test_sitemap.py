"""sitemap.xml lists exactly what readers can open; robots.txt points crawlers at it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Section
from bulletin.site.sitemaps import PAGE_SIZE, ArticleSitemap
from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    RecipientFactory,
    SectionFactory,
)
from tests.site.sitemap_files import sitemap_files, sitemap_urls

pytestmark = pytest.mark.django_db

SITEMAP = reverse("bulletin:sitemap")
ROBOTS = reverse("bulletin:robots")
BASE = "http://testserver"


def fetch(client):
    return None, sitemap_urls(client)


def absolute(*objects):
    return {BASE + obj.get_absolute_url() for obj in objects}


def article_by(issue, section, *, person=None, organisation=None, status="published"):
    article = ArticleFactory(issue=issue, section=section, status=status)
    if person:
        AuthorshipFactory(article=article, person=person)
    if organisation:
        AuthorshipFactory(article=article, person=None, organisation=organisation)
    return article


class TestSitemap:
    def test_lists_exactly_the_published_pages(self, client, publication):
        published = IssueFactory(publication=publication, published=True)
        parent = SectionFactory(name="市县政协")
        child = SectionFactory(name="来宾市", parent=parent)
        theory = SectionFactory(name="理论研究")
        author, corporate = PersonFactory(name="吴宁"), OrganisationFactory(name="来宾市政协")
        shown = [
            article_by(published, child, person=author),
            article_by(published, theory, organisation=corporate),
        ]

        # Everything below is unpublished, or of another publication, or not an author at all.
        hidden_people, hidden_orgs, hidden_issues = [], [], []
        hidden_articles = []
        for status in ("draft", "proofing", "approved"):
            issue = IssueFactory(publication=publication, status=status)
            section, person, org = SectionFactory(), PersonFactory(), OrganisationFactory()
            hidden_articles.append(article_by(issue, section, person=person, organisation=org))
            hidden_issues.append(issue)
            hidden_people.append(person)
            hidden_orgs.append(org)
        draft_section, draft_author = SectionFactory(), PersonFactory()
        hidden_articles.append(
            article_by(published, draft_section, person=draft_author, status="draft")
        )
        hidden_people.append(draft_author)
        other = IssueFactory(
            publication=PublicationFactory(slug="other", name="另一刊物"), published=True
        )
        other_section, other_author = SectionFactory(), PersonFactory()
        hidden_articles.append(article_by(other, other_section, person=other_author))
        hidden_issues.append(other)
        hidden_people.append(other_author)
        unassigned = ArticleFactory(issue=None, section=SectionFactory(), status="published")
        hidden_articles.append(unassigned)
        staff = PersonFactory(name="王芳")
        IssueFactory(publication=publication, published=True).credits.create(
            person=staff, role="editor"
        )
        hidden_people.append(staff)
        recipient = RecipientFactory(organisation=OrganisationFactory(), addressee="")
        hidden_orgs.append(recipient.organisation)
        SectionFactory(name="空栏目")
        # A retired section and a section under it have no page, whatever they hold.
        retired = SectionFactory(name="旧栏目", is_active=False)
        hidden_sections = [retired, SectionFactory(name="旧子栏目", parent=retired)]
        # Its articles stay readable in their issue.
        shown.append(article_by(published, hidden_sections[1], person=author))

        _, urls = fetch(client)

        # The issue with no articles is still a published issue page, so it is listed.
        listed_issues = Issue.objects.filter(publication=publication, status="published")
        expected = (
            {BASE + reverse("bulletin:home"), BASE + reverse("issues:archive")}
            | absolute(*listed_issues)
            | absolute(*shown)
            # Every listed section has a page, empty ones included (as on the section index).
            | absolute(*Section.objects.listed())
            | absolute(author, corporate)
        )
        assert set(urls) == expected
        hidden = absolute(
            *hidden_articles, *hidden_issues, *hidden_sections, *hidden_people, *hidden_orgs
        )
        assert not hidden & set(urls)

    def test_people_and_organisations_have_distinct_urls(self, client, publication):
        issue = IssueFactory(publication=publication, published=True)
        person, org = PersonFactory(), OrganisationFactory()
        article_by(issue, SectionFactory(), person=person, organisation=org)

        _, urls = fetch(client)

        assert BASE + reverse("articles:person", args=[person.pk]) in urls
        assert BASE + reverse("articles:organisation", args=[org.pk]) in urls

    def test_lastmod_of_articles_and_issues(self, client, publication):
        issue = IssueFactory(publication=publication, published=True)
        article = article_by(issue, SectionFactory())

        _, urls = fetch(client)

        # dates as the site's time zone (Asia/Shanghai) sees them, whatever the hour in UTC
        local = lambda moment: timezone.localtime(moment).date().isoformat()  # noqa: E731
        assert urls[BASE + article.get_absolute_url()] == local(article.updated_at)
        assert urls[BASE + issue.get_absolute_url()] == local(issue.updated_at)

    def test_without_a_publication_lists_only_the_static_pages(self, client):
        _, urls = fetch(client)

        assert set(urls) == {BASE + reverse("bulletin:home"), BASE + reverse("issues:archive")}

    def test_uses_the_request_scheme(self, client, publication):
        assert all(
            url.startswith("https://testserver/") for url in sitemap_files(client, secure=True)
        )
        assert "https://testserver/" in sitemap_urls(client, secure=True)

    def test_is_an_index_of_files_of_at_most_page_size_urls(self, client, publication):
        issue = IssueFactory(publication=publication, published=True)
        articles = [article_by(issue, SectionFactory()) for _ in range(5)]
        ArticleSitemap.limit = 2
        try:
            files = sitemap_files(client)
            urls = sitemap_urls(client)
        finally:
            ArticleSitemap.limit = PAGE_SIZE

        article_files = [url for url in files if "sitemap-articles.xml" in url]
        assert article_files == [
            f"{BASE}/sitemap-articles.xml",
            f"{BASE}/sitemap-articles.xml?p=2",
            f"{BASE}/sitemap-articles.xml?p=3",
        ]
        assert absolute(*articles) <= set(urls)
        assert PAGE_SIZE <= 50_000


def add_content(publication, issues, per_issue):
    for _ in range(issues):
        issue = IssueFactory(publication=publication, published=True)
        parent = SectionFactory()
        sections = [parent, SectionFactory(parent=parent)]
        for i in range(per_issue):
            article_by(
                issue,
                sections[i % 2],
                person=PersonFactory(),
                organisation=OrganisationFactory(),
            )


def fetch_all(client):
    """Every file of the sitemap, uncached (the counts below are of building them)."""
    cache.clear()
    return sitemap_urls(client)


def test_queries_do_not_grow_with_the_content(client, publication, django_assert_max_num_queries):
    add_content(publication, issues=1, per_issue=2)
    with CaptureQueriesContext(connection) as small:
        fetch_all(client)

    add_content(publication, issues=8, per_issue=10)

    with django_assert_max_num_queries(len(small)):
        urls = fetch_all(client)
    assert len(urls) == 2 + 9 + 82 + 18 + 82 + 82


class TestRobots:
    def test_is_plain_text_allowing_all_but_the_admin(self, client):
        response = client.get(ROBOTS)

        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        lines = response.content.decode().splitlines()
        assert lines[0] == "User-agent: *"
        assert "Disallow: /admin/" in lines
        assert "Allow: /" in lines
        assert [line for line in lines if line.startswith("Disallow:")] == ["Disallow: /admin/"]

    def test_names_the_absolute_sitemap_url(self, client):
        response = client.get(ROBOTS)

        assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()

    def test_sitemap_url_follows_the_request(self, client):
        response = client.get(ROBOTS, secure=True)

        assert "Sitemap: https://testserver/sitemap.xml" in response.content.decode().splitlines()

    def test_the_sitemap_it_names_exists(self, client):
        assert client.get(SITEMAP).status_code == 200
