import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from issues.models import Issue
from issues.services import publish_issue
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_publish_issue_publishes_the_issue_and_its_articles():
    issue = IssueFactory(status=Issue.Status.APPROVED)
    draft = ArticleFactory(issue=issue, status=Article.Status.DRAFT)
    approved = ArticleFactory(issue=issue, status=Article.Status.APPROVED)
    elsewhere = ArticleFactory(status=Article.Status.DRAFT)

    result = publish_issue(issue=issue)

    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    assert issue.published_at is not None
    assert result.status == Issue.Status.PUBLISHED
    assert set(Article.objects.published()) == {draft, approved}
    elsewhere.refresh_from_db()
    assert elsewhere.status == Article.Status.DRAFT


def test_publish_issue_records_the_given_time():
    issue = IssueFactory()
    when = timezone.make_aware(datetime.datetime(2024, 3, 1, 9, 30))

    publish_issue(issue=issue, when=when)

    issue.refresh_from_db()
    assert issue.published_at == when


def test_publish_issue_is_idempotent():
    issue = IssueFactory()
    article = ArticleFactory(issue=issue)
    first_time = timezone.make_aware(datetime.datetime(2024, 3, 1, 9, 30))

    publish_issue(issue=issue, when=first_time)
    publish_issue(issue=issue, when=first_time + datetime.timedelta(days=7))

    issue.refresh_from_db()
    article.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED
    assert issue.published_at == first_time
    assert article.status == Article.Status.PUBLISHED
    assert Issue.objects.published().count() == 1
