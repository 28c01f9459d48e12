"""签发 is refused while the pre-publication checker finds errors; warnings are shown on the
confirmation page and do not block."""

import pytest
from django.urls import reverse

from articles.models import Article
from bulletin.workflow import WorkflowError
from issues import services
from issues.models import Issue, IssueTransition
from tests.issues.test_checker import RUNNING_HEAD, import_seed, in_print_order, needs_seed

S = Issue.Status
pytestmark = needs_seed


@pytest.fixture
def checked_issue(db):
    """The real seed issue, proofread and waiting for 签发 (待签发)."""
    issue = import_seed()
    Issue.objects.filter(pk=issue.pk).update(status=S.CHECKED)
    Article.objects.filter(issue=issue).update(status=S.CHECKED)
    issue.refresh_from_db()
    return issue


def approve_url(issue):
    return reverse("admin:issues_issue_transition", args=[issue.pk, "approve"])


def leave_running_head(article):
    article.body += f"<p>{RUNNING_HEAD}</p>"
    article.save()


def test_the_approver_is_refused_while_errors_remain_then_approves(
    checked_issue, client, role_users
):
    article = in_print_order(checked_issue)[3]
    original_body = article.body
    leave_running_head(article)
    client.force_login(role_users["签发"])

    refused = client.post(approve_url(checked_issue), {"comment": ""})

    checked_issue.refresh_from_db()
    assert refused.status_code == 200  # the confirmation page again, with the reason
    page = refused.content.decode()
    assert "本期还有1处错误，不能签发" in page
    assert "正文中夹有书眉" in page
    assert checked_issue.status == S.CHECKED
    assert set(checked_issue.articles.values_list("status", flat=True)) == {S.CHECKED}
    assert not IssueTransition.objects.exists()

    article.body = original_body
    article.save()
    approved = client.post(approve_url(checked_issue), {"comment": ""})

    checked_issue.refresh_from_db()
    assert approved.status_code == 302
    assert checked_issue.status == S.APPROVED
    assert checked_issue.transitions.get().user == role_users["签发"]


def test_the_refusal_counts_the_errors_and_names_the_first_few(checked_issue, role_users):
    for article in in_print_order(checked_issue)[:5]:
        leave_running_head(article)

    with pytest.raises(WorkflowError) as refusal:
        services.approve_issue(issue=checked_issue, user=role_users["签发"])

    message = str(refusal.value)
    assert message.startswith("本期还有5处错误，不能签发。")
    assert message.count("[错误]") == 3
    assert "等（共5处）" in message
    checked_issue.refresh_from_db()
    assert checked_issue.status == S.CHECKED


def test_the_system_is_refused_too(checked_issue):
    leave_running_head(in_print_order(checked_issue)[0])

    with pytest.raises(WorkflowError):
        services.approve_issue(issue=checked_issue, user=None)


def test_warnings_are_shown_and_do_not_block(checked_issue, client, role_users):
    article = in_print_order(checked_issue)[4]
    article.body += "<p>会议强调,要持续推进协商议事。</p>"
    article.save()
    client.force_login(role_users["签发"])

    page = client.get(approve_url(checked_issue)).content.decode()
    assert "出版前检查：1 处问题" in page
    assert "会议强调<mark>,</mark>要持续推进协商议事。" in page
    assert reverse("admin:articles_article_change", args=[article.pk]) in page

    client.post(approve_url(checked_issue), {"comment": ""})
    checked_issue.refresh_from_db()
    assert checked_issue.status == S.APPROVED


def test_other_steps_do_not_show_the_checker(checked_issue, client, role_users):
    leave_running_head(in_print_order(checked_issue)[0])
    client.force_login(role_users["签发"])

    url = reverse("admin:issues_issue_transition", args=[checked_issue.pk, "send_back"])
    assert "出版前检查" not in client.get(url).content.decode()
