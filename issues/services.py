"""Writes that touch an issue and its articles together, each in one transaction."""

from django.db import transaction
from django.utils import timezone

from articles.models import Article

from .models import Issue, IssueStatus


@transaction.atomic
def publish_issue(*, issue: Issue, when=None) -> Issue:
    """Make an issue and all its articles public."""
    when = when or timezone.now()
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    issue.status = IssueStatus.PUBLISHED
    issue.published_at = issue.published_at or when
    issue.save(update_fields=["status", "published_at", "updated_at"])
    issue.articles.exclude(status=Article.Status.PUBLISHED).update(
        status=Article.Status.PUBLISHED, updated_at=when
    )
    return issue
