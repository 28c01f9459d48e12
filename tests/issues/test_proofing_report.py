"""本期校对记录: the articles changed since the issue entered proofing, with their diffs."""

import datetime

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from issues.models import IssueStatus, IssueTransition
from tests.factories import ArticleFactory, IssueFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>1月30日，春节前夕，自治区政协主席孙大伟来到崇左市龙州县，亲切看望慰问劳动模范、"
    "老党员、家庭困难残疾人、低保户等，并致以新春祝福。</p>"
)


def report_url(issue):
    return reverse("admin:issues_issue_proofing_changes", args=[issue.pk])


def submit(issue, at, revision_delay=datetime.timedelta(0)):
    """What the workflow's submit does: one revision of every article, and the transition."""
    with reversion.create_revision():
        reversion.set_comment("提交校对")
        for article in issue.articles.all():
            reversion.add_to_revision(article)
    from reversion.models import Revision

    Revision.objects.filter(comment="提交校对").update(date_created=at + revision_delay)
    issue.status = IssueStatus.PROOFING
    issue.save()
    IssueTransition.objects.create(
        issue=issue,
        action="submit",
        from_status=IssueStatus.DRAFT,
        to_status=IssueStatus.PROOFING,
        at=at,
    )


def edit(article, user=None, **changes):
    article = Article.objects.get(pk=article.pk)
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
        reversion.set_user(user)
        reversion.set_comment("校对修改")
    return article


@pytest.fixture
def issue_in_proofing():
    issue = IssueFactory()
    changed = ArticleFactory(issue=issue, title="孙大伟深入崇左开展春节前慰问活动", body=BODY)
    untouched = ArticleFactory(issue=issue, title="自治区政协召开主席会议")
    # An edit made while still a draft is not a proofing change.
    edit(changed, title="孙大伟深入崇左开展春节前慰问活动")
    submit(issue, timezone.now() - datetime.timedelta(hours=1))
    return issue, changed, untouched


def test_lists_the_articles_changed_since_proofing_with_their_diff(
    editor_client, issue_in_proofing
):
    issue, changed, untouched = issue_in_proofing
    proofreader = UserFactory(username="hegao", first_name="韦核稿")
    edit(changed, user=proofreader, body=BODY.replace("亲切看望", "亲切探望"))
    edit(untouched)  # saved again without any change

    response = editor_client.get(report_url(issue))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e["article"] for e in entries] == [changed]
    [change] = entries[0]["changes"]
    assert change.label == "正文"
    html = response.content.decode()
    assert "<del>看</del><ins>探</ins>" in html
    assert "韦核稿" in html
    assert "本期校对记录" in html


def test_the_submit_snapshot_is_found_when_written_just_after_the_transition_time(
    editor_client,
):
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, title="原标题", body=BODY)
    at = timezone.now() - datetime.timedelta(hours=1)
    submit(issue, at, revision_delay=datetime.timedelta(seconds=1))
    edit(article, title="校对后的标题")

    entries = editor_client.get(report_url(issue)).context["entries"]
    assert len(entries) == 1
    [change] = entries[0]["changes"]
    assert change.label == "标题"
    assert entries[0]["is_new"] is False


def test_an_article_added_after_submitting_is_listed_as_new(editor_client, issue_in_proofing):
    issue, _, _ = issue_in_proofing
    added = ArticleFactory(issue=issue, title="补充稿件")
    response = editor_client.get(report_url(issue))
    [entry] = response.context["entries"]
    assert entry["article"] == added and entry["is_new"] is True
    assert "提交校对后新增" in response.content.decode()


def test_a_change_saved_without_a_revision_is_still_shown(editor_client, issue_in_proofing):
    issue, changed, _ = issue_in_proofing
    Article.objects.filter(pk=changed.pk).update(source="《人民政协报》")
    [entry] = editor_client.get(report_url(issue)).context["entries"]
    assert [c.label for c in entry["changes"]] == ["来源"]


def test_nothing_changed_says_so(editor_client, issue_in_proofing):
    issue, _, _ = issue_in_proofing
    response = editor_client.get(report_url(issue))
    assert response.context["entries"] == []
    assert "没有改动" in response.content.decode()


def test_a_draft_issue_has_no_report_and_no_link(editor_client):
    issue = IssueFactory()
    response = editor_client.get(report_url(issue))
    assert "尚未提交校对" in response.content.decode()
    change = editor_client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    assert report_url(issue) not in change.content.decode()


def test_the_issue_change_page_links_to_the_report(editor_client, issue_in_proofing):
    issue, _, _ = issue_in_proofing
    change = editor_client.get(reverse("admin:issues_issue_change", args=[issue.pk]))
    html = change.content.decode()
    assert report_url(issue) in html and "本期校对记录" in html


def test_the_report_needs_the_right_to_see_the_issue(client, issue_in_proofing):
    issue, _, _ = issue_in_proofing
    client.force_login(UserFactory(username="nobody"))
    assert client.get(report_url(issue)).status_code == 403
