"""What a reader sees: published content only, everything else is 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    IssueSectionFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    RecipientFactory,
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
        article = ArticleFactory(issue=issue, section=sections[i % 2], status="published")
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

        assert response.status_code == 200
        assert "广西政协工作" in response.content.decode()

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


class TestIssuePage:
    def test_published_issue(self, client):
        issue = IssueFactory(year=2024, number=2, published=True)
        ArticleFactory(issue=issue, status="published", title="政协动态一则")
        ArticleFactory(issue=issue, status="draft", title="草稿一则")

        response = client.get("/issues/2024/2/")

        content = response.content.decode()
        assert response.status_code == 200
        assert "2024年第2期" in content
        assert "政协动态一则" in content
        assert "草稿一则" not in content

    @pytest.mark.parametrize(
        "status", [Issue.Status.DRAFT, Issue.Status.PROOFING, Issue.Status.APPROVED]
    )
    def test_unpublished_issue_is_404(self, client, status):
        IssueFactory(year=2024, number=2, status=status)

        assert client.get("/issues/2024/2/").status_code == 404

    def test_missing_issue_is_404(self, client):
        assert client.get("/issues/2024/99/").status_code == 404


class TestArticlePage:
    def test_published_article(self, client):
        article = ArticleFactory(
            published=True, title="让协商更有质量", body="<p>协商于决策之前。</p>"
        )
        AuthorshipFactory(article=article, person=PersonFactory(name="黄远声"))

        response = client.get(article.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert "让协商更有质量" in content
        assert "<p>协商于决策之前。</p>" in content
        assert "黄远声" in content

    def test_draft_article_in_a_published_issue_is_404(self, client):
        article = ArticleFactory(issue=IssueFactory(published=True), status="draft")

        assert client.get(article.get_absolute_url()).status_code == 404

    def test_published_article_in_a_draft_issue_is_404(self, client):
        article = ArticleFactory(issue=IssueFactory(), status="published")

        assert client.get(article.get_absolute_url()).status_code == 404

    def test_unassigned_article_is_404(self, client):
        article = ArticleFactory(issue=None, status="published")

        assert client.get(article.get_absolute_url()).status_code == 404


class TestSectionPage:
    def test_lists_published_articles_of_the_section_and_its_children(self, client):
        parent = SectionFactory(name="理论研究")
        child = SectionFactory(name="理论探讨", parent=parent)
        ArticleFactory(published=True, section=parent, title="上级栏目的文章")
        ArticleFactory(published=True, section=child, title="下级栏目的文章")
        ArticleFactory(section=parent, issue=IssueFactory(), title="未发布的文章")

        response = client.get(parent.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert "上级栏目的文章" in content
        assert "下级栏目的文章" in content
        assert "未发布的文章" not in content

    def test_section_without_published_articles_shows_none(self, client):
        section = SectionFactory()
        ArticleFactory(section=section, issue=IssueFactory(), title="未发布的文章")

        response = client.get(section.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert "未发布的文章" not in content
        assert "暂无已发布的文章" in content

    def test_missing_section_is_404(self, client):
        assert client.get("/sections/no-such-section/").status_code == 404


class TestAuthorPages:
    def test_person_with_a_published_article(self, client):
        person = PersonFactory(name="黄远声", position="自治区政协副秘书长")
        AuthorshipFactory(person=person, article=ArticleFactory(published=True, title="已发表"))
        AuthorshipFactory(person=person, article=ArticleFactory(title="未发表"))

        response = client.get(person.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert "黄远声" in content
        assert "自治区政协副秘书长" in content
        assert "已发表" in content
        assert "未发表" not in content

    def test_person_with_only_unpublished_articles_is_404(self, client):
        person = PersonFactory()
        AuthorshipFactory(
            person=person, article=ArticleFactory(issue=IssueFactory(), status="published")
        )

        assert client.get(person.get_absolute_url()).status_code == 404

    def test_person_who_is_only_on_the_distribution_list_is_404(self, client):
        person = PersonFactory(name="收件人某", position="某厅厅长")
        RecipientFactory(person=person, addressee="")

        assert client.get(person.get_absolute_url()).status_code == 404

    def test_organisation_with_a_published_article(self, client):
        organisation = OrganisationFactory(name="政协西安市委员会")
        AuthorshipFactory(
            person=None,
            organisation=organisation,
            article=ArticleFactory(published=True, title="西安经验"),
        )

        response = client.get(organisation.get_absolute_url())

        content = response.content.decode()
        assert response.status_code == 200
        assert "政协西安市委员会" in content
        assert "西安经验" in content

    def test_organisation_with_only_unpublished_articles_is_404(self, client):
        organisation = OrganisationFactory()
        AuthorshipFactory(person=None, organisation=organisation, article=ArticleFactory())

        assert client.get(organisation.get_absolute_url()).status_code == 404

    def test_missing_person_is_404(self, client):
        assert client.get("/authors/999999/").status_code == 404
