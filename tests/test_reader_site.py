"""The readers' pages: archive, preview for staff, article page details, bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
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
    UserFactory,
)

pytestmark = pytest.mark.django_db


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
                issue=issue, section=[*sections, child][i % 3], status="published", start_page=i + 1
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


class TestArchive:
    def test_groups_published_issues_by_year_newest_first(self, client):
        publication = PublicationFactory()
        for year, number in [(2023, 12), (2024, 1), (2024, 2)]:
            IssueFactory(publication=publication, year=year, number=number, published=True)
        IssueFactory(publication=publication, year=2024, number=3)  # draft
        html = client.get(reverse("issues:archive")).content.decode()
        assert html.index("2024年第2期") < html.index("2024年第1期") < html.index("2023年第12期")
        assert "2024年第3期" not in html
        assert "共2期" in html

    def test_year_page_lists_that_year_and_404s_without_published_issues(self, client):
        publication = PublicationFactory()
        IssueFactory(publication=publication, year=2024, number=1, published=True)
        IssueFactory(publication=publication, year=2025, number=1)  # draft only
        assert "2024年第1期" in client.get(reverse("issues:year", args=[2024])).content.decode()
        assert client.get(reverse("issues:year", args=[2025])).status_code == 404


class TestPreview:
    @pytest.fixture
    def draft(self):
        issue = IssueFactory(year=2024, number=9, status=Issue.Status.PROOFING)
        article = ArticleFactory(issue=issue, status="proofing", title="尚在核稿的文章")
        IssueSectionFactory(issue=issue, section=article.section)
        return issue, article

    @pytest.mark.parametrize("who", ["anonymous", "logged-in reader"])
    def test_readers_get_404(self, client, draft, who):
        if who != "anonymous":
            client.force_login(UserFactory(is_staff=False))
        issue, article = draft
        assert client.get(issue.get_absolute_url()).status_code == 404
        assert client.get(article.get_absolute_url()).status_code == 404

    def test_staff_see_the_page_with_a_preview_banner(self, client, draft):
        client.force_login(UserFactory(is_staff=True))
        issue, article = draft
        for obj in (issue, article):
            html = client.get(obj.get_absolute_url()).content.decode()
            assert 'class="preview-banner"' in html and "尚未发布" in html
            assert 'name="robots" content="noindex' in html
            assert "尚在核稿的文章" in html
        assert reverse("admin:articles_article_change", args=[article.pk]) in html

    def test_published_pages_have_no_banner_for_staff(self, client):
        article = ArticleFactory(published=True)
        client.force_login(UserFactory(is_staff=True))
        html = client.get(article.get_absolute_url()).content.decode()
        assert "preview-banner" not in html

    def test_staff_preview_of_an_unassigned_article(self, client):
        article = ArticleFactory(issue=None, title="还没编入期刊的稿件")
        client.force_login(UserFactory(is_staff=True))
        assert "还没编入期刊的稿件" in client.get(article.get_absolute_url()).content.decode()


class TestArticlePage:
    @pytest.fixture
    def issue(self):
        publication = PublicationFactory(name="示例政协工作")
        issue = IssueFactory(publication=publication, year=2024, number=2, published=True)
        first, second = SectionFactory(name="政协动态"), SectionFactory(name="理论研究")
        IssueSectionFactory(issue=issue, section=second, order=1)
        IssueSectionFactory(issue=issue, section=first, order=2)
        return issue, first, second

    def test_neighbours_follow_print_order(self, client, issue):
        issue, first, second = issue
        # created out of print order: the section order of the issue decides
        c = ArticleFactory(issue=issue, section=first, status="published", title="丙", order=1)
        a = ArticleFactory(issue=issue, section=second, status="published", title="甲", order=1)
        b = ArticleFactory(issue=issue, section=second, status="published", title="乙", order=2)
        ArticleFactory(issue=issue, section=second, status="draft", title="未发布", order=3)
        html = client.get(b.get_absolute_url()).content.decode()
        assert f'href="{a.get_absolute_url()}" rel="prev"' in html
        assert f'href="{c.get_absolute_url()}" rel="next"' in html
        assert "未发布" not in html

    def test_head_citation_and_share_metadata(self, client, issue):
        issue, first, _ = issue
        article = ArticleFactory(
            issue=issue,
            section=first,
            status="published",
            title="让协商更有质量",
            subtitle="——某市政协的实践",
            start_page=10,
            end_page=11,
            summary="介绍某市政协提升协商质量的做法。",
        )
        AuthorshipFactory(article=article, person=PersonFactory(name="吴宁"), printed_name="吴 宁")
        AuthorshipFactory(article=article, person=PersonFactory(name="艾粤敏"))
        html = client.get(article.get_absolute_url()).content.decode()
        assert (
            "吴宁, 艾粤敏. 让协商更有质量：某市政协的实践[J]. 示例政协工作, 2024(2): 10-11." in html
        )
        assert (
            f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in html
        )
        assert '<meta property="og:title" content="让协商更有质量 ——某市政协的实践">' in html
        assert '<meta property="og:description" content="介绍某市政协提升协商质量的做法。">' in html
        assert ">吴 宁</a>" in html  # the printed form of the name, linked to the person

    def test_script_in_a_body_is_neutralised(self, client, issue):
        issue, first, _ = issue
        article = ArticleFactory(
            issue=issue,
            section=first,
            status="published",
            body='<p>正文<script>alert(1)</script><img src="x.png" onerror="alert(2)"></p>'
            '<p><a href="javascript:alert(3)">链接</a></p>',
        )
        html = client.get(article.get_absolute_url()).content.decode()
        body = html[html.index('class="article__body"') :]
        body = body[: body.index("</div>")]
        assert "<script" not in body and "onerror" not in body and "javascript:" not in body
        assert "正文" in body

    def test_article_url_survives_a_title_change(self, client):
        article = ArticleFactory(published=True)
        url = article.get_absolute_url()
        Article.objects.filter(pk=article.pk).update(title="改过的标题")
        assert "改过的标题" in client.get(url).content.decode()


def test_issue_page_shows_credits_in_colophon_order(client):
    issue = IssueFactory(published=True)
    IssueCreditFactory(issue=issue, person=PersonFactory(name="李兴"), role="proofreader")
    IssueCreditFactory(issue=issue, person=PersonFactory(name="黄远"), role="editor")
    html = client.get(issue.get_absolute_url()).content.decode()
    assert html.index("编辑：") < html.index("黄远") < html.index("核稿：") < html.index("李兴")


def test_staff_previewing_a_draft_can_follow_its_author_link(client):
    article = ArticleFactory(status="draft", title="未发布的稿件")
    person = AuthorshipFactory(article=article).person
    assert client.get(person.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    html = client.get(person.get_absolute_url()).content.decode()
    assert "未发布的稿件" in html and "preview-banner" in html
