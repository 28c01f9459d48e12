"""The issues admin: an issue's articles in print order, and searching issues.

The import of a whole issue through the admin is tested in test_import_admin.py."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_issue_change_page_lists_its_articles_in_print_order(editor_client):
    issue = factories.IssueFactory()
    news = factories.SectionFactory(name="政协动态")
    theory = factories.SectionFactory(name="理论研究")
    factories.IssueSectionFactory(issue=issue, section=theory, order=1)
    factories.IssueSectionFactory(issue=issue, section=news, order=2)
    # Created in an order that differs from print order on purpose.
    factories.ArticleFactory(issue=issue, section=news, order=2, title="动态之二")
    factories.ArticleFactory(issue=issue, section=theory, order=2, title="理论之二")
    factories.ArticleFactory(issue=issue, section=news, order=1, title="动态之一")
    factories.ArticleFactory(issue=issue, section=theory, order=1, title="理论之一")
    factories.ArticleFactory(title="别期稿件")

    response = editor_client.get(reverse("admin:issues_issue_change", args=[issue.pk]))

    content = response.content.decode()
    printed = ["理论之一", "理论之二", "动态之一", "动态之二"]
    positions = [content.index(f'value="{title}"') for title in printed]
    assert positions == sorted(positions)
    assert "别期稿件" not in content


def test_issue_search_by_year_shows_that_year_only(editor_client):
    hit = factories.IssueFactory(year=2024, number=5, total_number=301)
    factories.IssueSectionFactory(issue=hit)
    factories.ArticleFactory(issue=hit)
    factories.IssueFactory(year=2023, number=7)

    response = editor_client.get(reverse("admin:issues_issue_changelist"), {"q": "2024"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "2024年第5期（总第301期）" in content
    assert "2023年第7期" not in content
