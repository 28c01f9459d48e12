"""The workflow services: each transition, its checks, its record, the articles following."""

import datetime

import pytest
import reversion
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from bulletin.workflow import WorkflowError
from issues import services
from issues.models import Issue, IssueTransition
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

S = Issue.Status


def issue_in(status, articles=2):
    issue = IssueFactory(status=status)
    for _ in range(articles):
        ArticleFactory(issue=issue, status=status)
    return issue


def statuses(issue):
    issue.refresh_from_db()
    return issue.status, set(issue.articles.values_list("status", flat=True))


def test_the_whole_way_from_draft_to_published_by_three_people(role_users):
    issue = issue_in(S.DRAFT)

    services.submit_issue(issue=issue, user=role_users["编辑"])
    assert statuses(issue) == (S.PROOFING, {S.PROOFING})
    services.pass_issue(issue=issue, user=role_users["核稿"])
    assert statuses(issue) == (S.CHECKED, {S.CHECKED})
    services.approve_issue(issue=issue, user=role_users["签发"])
    assert statuses(issue) == (S.APPROVED, {S.APPROVED})
    published = services.publish_issue(issue=issue, user=role_users["签发"])

    assert statuses(issue) == (S.PUBLISHED, {S.PUBLISHED})
    assert published.published_at is not None
    assert set(Article.objects.published()) == set(issue.articles.all())
    log = list(issue.transitions.order_by("at", "pk").values_list("action", "user__username"))
    assert log == [
        ("submit", role_users["编辑"].username),
        ("pass", role_users["核稿"].username),
        ("approve", role_users["签发"].username),
        ("publish", role_users["签发"].username),
    ]


@pytest.mark.parametrize(
    ("name", "status", "role"),
    [
        ("submit", S.DRAFT, "核稿"),
        ("submit", S.DRAFT, "发行"),
        ("pass", S.PROOFING, "编辑"),
        ("return", S.PROOFING, "编辑"),
        ("approve", S.CHECKED, "核稿"),
        ("approve", S.CHECKED, "编辑"),
        ("publish", S.APPROVED, "核稿"),
        ("publish", S.APPROVED, "编辑"),
        ("unpublish", S.PUBLISHED, "编辑"),
        ("send_back", S.APPROVED, "核稿"),
    ],
)
def test_a_user_without_the_right_is_refused_and_nothing_changes(role_users, name, status, role):
    issue = issue_in(status)

    with pytest.raises(PermissionDenied):
        services.run_transition(issue=issue, name=name, user=role_users[role], comment="理由")

    assert statuses(issue) == (status, {status})
    assert not IssueTransition.objects.exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("submit", S.PROOFING),
        ("pass", S.DRAFT),
        ("approve", S.PROOFING),
        ("publish", S.CHECKED),
        ("publish", S.DRAFT),
        ("publish", S.PUBLISHED),
        ("unpublish", S.APPROVED),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_with_a_message(role_users, name, status):
    issue = issue_in(status)

    with pytest.raises(WorkflowError, match="不能"):
        services.run_transition(issue=issue, name=name, user=role_users["admin"], comment="理由")

    assert statuses(issue) == (status, {status})


def test_publish_issue_refuses_an_issue_that_is_not_approved():
    issue = issue_in(S.DRAFT)

    with pytest.raises(WorkflowError):
        services.publish_issue(issue=issue)

    assert statuses(issue) == (S.DRAFT, {S.DRAFT})


@pytest.mark.parametrize(("status", "name"), [(S.PROOFING, "return"), (S.CHECKED, "send_back")])
def test_returning_needs_a_reason_and_records_it(role_users, status, name):
    issue = issue_in(status)
    user = role_users["核稿" if status == S.PROOFING else "签发"]

    with pytest.raises(WorkflowError, match="原因"):
        services.return_issue(issue=issue, user=user, comment="  ")
    services.return_issue(issue=issue, user=user, comment="第3页标题有误")

    assert statuses(issue) == (S.DRAFT, {S.DRAFT})
    step = issue.transitions.get()
    assert (step.action, step.from_status, step.to_status) == (name, status, S.DRAFT)
    assert step.comment == "第3页标题有误"
    assert step.user == user


def test_unpublishing_needs_a_reason_and_keeps_the_first_publication_date(role_users):
    issue = issue_in(S.APPROVED)
    first = timezone.make_aware(datetime.datetime(2024, 3, 1, 9, 0))
    services.publish_issue(issue=issue, user=role_users["签发"], when=first)

    with pytest.raises(WorkflowError):
        services.unpublish_issue(issue=issue, user=role_users["签发"], reason="")
    services.unpublish_issue(issue=issue, user=role_users["签发"], reason="封面照片有误")
    assert statuses(issue) == (S.APPROVED, {S.APPROVED})
    assert not Article.objects.published().exists()
    assert issue.transitions.first().comment == "封面照片有误"

    services.publish_issue(issue=issue, user=role_users["签发"])
    issue.refresh_from_db()
    assert issue.published_at == first


def test_articles_follow_the_issue_but_not_other_issues_articles(role_users):
    issue, other = issue_in(S.DRAFT), issue_in(S.DRAFT)
    unassigned = ArticleFactory(issue=None)

    services.submit_issue(issue=issue, user=role_users["编辑"])

    assert statuses(other) == (S.DRAFT, {S.DRAFT})
    unassigned.refresh_from_db()
    assert unassigned.status == S.DRAFT


def test_submitting_keeps_a_revision_of_every_article_as_it_entered_proofing(role_users):
    issue = issue_in(S.DRAFT, articles=3)

    services.submit_issue(issue=issue, user=role_users["编辑"])

    for article in issue.articles.all():
        [version] = Version.objects.get_for_object(article)
        assert version.revision.comment == "提交校对"
        assert version.revision.user == role_users["编辑"]
        assert version.field_dict["body"] == article.body


def test_publish_without_review_walks_every_step_as_the_system():
    issue = issue_in(S.DRAFT)

    services.publish_without_review(issue=issue, comment="导入时直接发布")

    assert statuses(issue) == (S.PUBLISHED, {S.PUBLISHED})
    steps = list(issue.transitions.order_by("at", "pk").values_list("action", "user"))
    assert steps == [("submit", None), ("pass", None), ("approve", None), ("publish", None)]


def test_scheduling_needs_a_future_time(role_users):
    issue = issue_in(S.APPROVED)
    user = role_users["签发"]

    with pytest.raises(WorkflowError, match="晚于现在"):
        services.schedule_issue(issue=issue, user=user, at=timezone.now())
    at = timezone.now() + datetime.timedelta(days=1)
    services.schedule_issue(issue=issue, user=user, at=at)

    issue.refresh_from_db()
    assert (issue.status, issue.scheduled_at) == (S.APPROVED, at)
    assert issue.transitions.get().action == "schedule"
    services.unschedule_issue(issue=issue, user=user)
    issue.refresh_from_db()
    assert issue.scheduled_at is None


def test_a_revision_block_of_the_caller_is_not_disturbed(role_users):
    """submit runs inside an admin save's revision block as well as on its own."""
    issue = issue_in(S.DRAFT)
    with reversion.create_revision():
        services.submit_issue(issue=issue, user=role_users["编辑"])
    assert statuses(issue) == (S.PROOFING, {S.PROOFING})
