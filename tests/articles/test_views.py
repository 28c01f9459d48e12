"""The readers' article, section and author pages: published content only, everything else 404."""

import pytest

from articles.models import Article
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


class TestArticlePage:
    @pytest.fixture
    def issue(self):
        publication = PublicationFactory(name="示例政协工作")
        issue = IssueFactory(publication=publication, year=2024, number=2, published=True)
        first, second = SectionFactory(name="政协动态"), SectionFactory(name="理论研究")
        IssueSectionFactory(issue=issue, section=second, order=1)
        IssueSectionFactory(issue=issue, section=first, order=2)
        return issue, first, second

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
