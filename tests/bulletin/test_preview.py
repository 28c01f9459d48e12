"""The published-or-preview rule (bulletin/preview.py): readers get 404, staff get a banner."""

import pytest
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    IssueSectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


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
        article = ArticleFactory(published=True, title="已经发布的文章")
        client.force_login(UserFactory(is_staff=True))
        response = client.get(article.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "已经发布的文章" in html
        assert "preview-banner" not in html
        assert 'name="robots" content="noindex' not in html

    def test_staff_preview_of_an_unassigned_article(self, client):
        article = ArticleFactory(issue=None, title="还没编入期刊的稿件")
        client.force_login(UserFactory(is_staff=True))
        html = client.get(article.get_absolute_url()).content.decode()
        assert "还没编入期刊的稿件" in html
        assert 'class="preview-banner"' in html

    def test_staff_previewing_a_draft_can_follow_its_author_link(self, client):
        article = ArticleFactory(status="draft", title="未发布的稿件")
        person = AuthorshipFactory(article=article).person
        assert client.get(person.get_absolute_url()).status_code == 404
        client.force_login(UserFactory(is_staff=True))
        html = client.get(person.get_absolute_url()).content.decode()
        assert "未发布的稿件" in html and "preview-banner" in html
