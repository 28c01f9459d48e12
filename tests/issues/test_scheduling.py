"""Scheduled publishing: publish_scheduled publishes what is due, once, however often and from
however many places it runs."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from issues.models import Issue, IssueTransition
from issues.services import publish_due
from tests.factories import ArticleFactory, IssueFactory
from tests.threads import run_in_threads

S = Issue.Status


def scheduled(at, status=S.APPROVED, **kwargs):
    issue = IssueFactory(status=status, scheduled_at=at, **kwargs)
    ArticleFactory(issue=issue, status=status)
    return issue


def now():
    return timezone.now()


@pytest.mark.django_db
def test_publishes_what_is_due_and_leaves_the_rest(capsys):
    due = scheduled(now() - datetime.timedelta(minutes=1), number=1)
    later = scheduled(now() + datetime.timedelta(hours=1), number=2)
    unscheduled = scheduled(None, number=3)
    not_approved = scheduled(now() - datetime.timedelta(minutes=1), status=S.CHECKED, number=4)

    call_command("publish_scheduled")

    statuses = {i.pk: i.status for i in Issue.objects.all()}
    assert statuses == {
        due.pk: S.PUBLISHED,
        later.pk: S.APPROVED,
        unscheduled.pk: S.APPROVED,
        not_approved.pk: S.CHECKED,
    }
    due.refresh_from_db()
    assert due.articles.get().status == S.PUBLISHED
    assert due.scheduled_at is None and due.published_at is not None
    step = due.transitions.get()
    assert (step.action, step.user, step.comment) == ("publish", None, "定时发布")
    assert f"Published {due.display_title}" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_time_not_yet_come_is_published_when_it_comes():
    issue = scheduled(now() + datetime.timedelta(minutes=5))

    assert publish_due() == []
    assert publish_due(now=now() + datetime.timedelta(minutes=6)) == [issue]


@pytest.mark.django_db
def test_running_twice_publishes_once():
    issue = scheduled(now() - datetime.timedelta(minutes=1))

    call_command("publish_scheduled")
    call_command("publish_scheduled")

    issue.refresh_from_db()
    assert issue.status == S.PUBLISHED
    assert IssueTransition.objects.filter(action="publish").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_publish_each_issue_once():
    issues = [scheduled(now() - datetime.timedelta(minutes=1), number=n) for n in range(1, 4)]
    published = []

    errors = run_in_threads(lambda n: published.extend(publish_due()), 4)

    assert errors == []
    assert sorted(i.pk for i in published) == sorted(i.pk for i in issues)
    assert IssueTransition.objects.filter(action="publish").count() == 3
    assert set(Issue.objects.values_list("status", flat=True)) == {S.PUBLISHED}
