"""The readers' issue pages: the archive, a year, one issue; published issues only."""

import pytest
from django.urls import reverse

from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    IssueCreditFactory,
    IssueFactory,
    PersonFactory,
    PublicationFactory,
)

pytestmark = pytest.mark.django_db


class TestArchive:
    def test_lists_the_years_newest_first_with_their_issue_counts(self, client):
        publication = PublicationFactory()
        for year, number in [(2023, 12), (2024, 1), (2024, 2)]:
            IssueFactory(publication=publication, year=year, number=number, published=True)
        IssueFactory(publication=publication, year=2024, number=3)  # draft
        IssueFactory(publication=publication, year=2025, number=1)  # draft: no 2025 yet
        html = client.get(reverse("issues:archive")).content.decode()
        assert html.index(reverse("issues:year", args=[2024])) < html.index(
            reverse("issues:year", args=[2023])
        )
        assert '2024年</a> <span class="muted">共2期' in html
        assert '2023年</a> <span class="muted">共1期' in html
        assert "2025年" not in html

    def test_does_not_list_every_issue(self, client):
        """The page stays small however long the archive: only the newest year's issues are
        on it, earlier years' on their year pages."""
        publication = PublicationFactory()
        for year in (2023, 2024):
            for number in range(1, 13):
                IssueFactory(publication=publication, year=year, number=number, published=True)
        html = client.get(reverse("issues:archive")).content.decode()
        assert "共12期" in html
        assert "/issues/2024/1/" in html and "/issues/2024/12/" in html
        assert "/issues/2023/1/" not in html and "/issues/2023/12/" not in html
        assert "2023年第12期" in client.get(reverse("issues:year", args=[2023])).content.decode()

    def test_year_page_lists_that_year_and_404s_without_published_issues(self, client):
        publication = PublicationFactory()
        IssueFactory(publication=publication, year=2024, number=1, published=True)
        IssueFactory(publication=publication, year=2025, number=1)  # draft only
        assert "2024年第1期" in client.get(reverse("issues:year", args=[2024])).content.decode()
        assert client.get(reverse("issues:year", args=[2025])).status_code == 404


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

    def test_shows_credits_in_colophon_order(self, client):
        issue = IssueFactory(published=True)
        IssueCreditFactory(issue=issue, person=PersonFactory(name="李兴"), role="proofreader")
        IssueCreditFactory(issue=issue, person=PersonFactory(name="黄远"), role="editor")
        html = client.get(issue.get_absolute_url()).content.decode()
        assert html.index("编辑：") < html.index("黄远") < html.index("核稿：") < html.index("李兴")
