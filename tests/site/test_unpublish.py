"""Unpublishing takes an issue and its articles off every public page, feed, sitemap, API
answer and the search index at once."""

import pytest
from django.urls import reverse

from issues.models import Issue
from issues.services import publish_without_review, unpublish_issue
from tests.factories import ArticleFactory, IssueFactory, PublicationFactory, SectionFactory

pytestmark = pytest.mark.django_db

MARKER = "独一无二的撤回测试词"


@pytest.fixture
def published(search_index, django_capture_on_commit_callbacks, role_users):
    PublicationFactory()
    issue = IssueFactory(year=2024, number=7)
    section = SectionFactory(name="政协动态")
    article = ArticleFactory(issue=issue, section=section, title=f"{MARKER}报道")
    with django_capture_on_commit_callbacks(execute=True):
        publish_without_review(issue=issue, comment="测试")
    return issue, article


def public_places(issue, article):
    return {
        "issue page": issue.get_absolute_url(),
        "article page": article.get_absolute_url(),
        "home": reverse("bulletin:home"),
        "year page": reverse("issues:year", args=[issue.year]),
        "section": article.section.get_absolute_url(),
        "rss": reverse("articles:feed_rss"),
        "atom": reverse("articles:feed_atom"),
        "sitemap": reverse("bulletin:sitemap_section", kwargs={"section": "articles"}),
        "api issues": reverse("api:issues"),
        "api issue": reverse("api:issue", args=[issue.year, issue.number]),
        "api article": reverse("api:article", args=[article.pk]),
        "search": reverse("articles:search") + f"?q={MARKER}",
        "api search": reverse("api:search") + f"?q={MARKER}",
    }


def shows(client, url, article):
    response = client.get(url)
    text = response.content.decode()
    # Links, not the marker word: the search box and the API echo the query.
    found = (article.get_absolute_url(), article.issue.get_absolute_url())
    return response.status_code == 200 and any(needle in text for needle in found)


def test_unpublishing_removes_the_issue_everywhere_at_once(
    client, published, role_users, django_capture_on_commit_callbacks
):
    issue, article = published
    places = public_places(issue, article)
    assert {name for name, url in places.items() if shows(client, url, article)} == set(places)

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_issue(issue=issue, user=role_users["签发"], reason="发现错字，撤回更正")

    assert {name for name, url in places.items() if shows(client, url, article)} == set()
    assert client.get(article.get_absolute_url()).status_code == 404
    issue.refresh_from_db()
    assert issue.status == Issue.Status.APPROVED
    assert issue.transitions.first().comment == "发现错字，撤回更正"
