"""The workflow through the admin, as each role would use it: real POSTs, 403 and nothing
changed for whoever lacks the right, a message for a wrong state, the log on the issue page."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from issues.models import Issue, IssueTransition
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

S = Issue.Status
ROLES = ["编辑", "核稿", "签发", "发行", "admin"]

# transition -> (the state it runs from, the roles allowed; the others get 403)
RIGHTS = {
    "submit": (S.DRAFT, {"编辑", "admin"}),
    "pass": (S.PROOFING, {"核稿", "admin"}),
    "return": (S.PROOFING, {"核稿", "admin"}),
    "approve": (S.CHECKED, {"签发", "admin"}),
    "send_back": (S.APPROVED, {"签发", "admin"}),
    "publish": (S.APPROVED, {"签发", "admin"}),
    "unpublish": (S.PUBLISHED, {"签发", "admin"}),
    "unschedule": (S.APPROVED, {"签发", "admin"}),
}
TARGET = {
    "submit": S.PROOFING,
    "pass": S.CHECKED,
    "return": S.DRAFT,
    "approve": S.APPROVED,
    "send_back": S.DRAFT,
    "publish": S.PUBLISHED,
    "unpublish": S.APPROVED,
    "unschedule": S.APPROVED,
}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def transition_url(issue, name):
    return reverse("admin:issues_issue_transition", args=[issue.pk, name])


def make_issue(status):
    issue = IssueFactory(status=status)
    ArticleFactory(issue=issue, status=status, title="本期稿件")
    return issue


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", RIGHTS)
def test_each_role_at_each_transition(role_users, name, role):
    source, allowed = RIGHTS[name]
    issue = make_issue(source)
    client = client_for(role_users[role])

    response = client.post(transition_url(issue, name), {"comment": "请修改第2篇"})

    issue.refresh_from_db()
    article = issue.articles.get()
    if role in allowed:
        assert response.status_code == 302
        assert response.url == reverse("admin:issues_issue_change", args=[issue.pk])
        assert (issue.status, article.status) == (TARGET[name], TARGET[name])
        step = issue.transitions.get()
        assert (step.action, step.user, step.from_status) == (name, role_users[role], source)
    else:
        assert response.status_code == 403
        assert (issue.status, article.status) == (source, source)
        assert not IssueTransition.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_scheduling_through_the_admin(role_users, role):
    issue = make_issue(S.APPROVED)

    response = client_for(role_users[role]).post(
        transition_url(issue, "schedule"), {"at": "2099-03-01T09:00"}
    )

    issue.refresh_from_db()
    if role in {"签发", "admin"}:
        assert response.status_code == 302
        assert issue.scheduled_at is not None
        assert issue.scheduled_at.year == 2099
    else:
        assert response.status_code == 403
        assert issue.scheduled_at is None


def test_a_transition_from_the_wrong_state_is_refused_with_a_message(role_users):
    issue = make_issue(S.DRAFT)
    client = client_for(role_users["签发"])

    response = client.post(transition_url(issue, "publish"), follow=True)

    issue.refresh_from_db()
    assert issue.status == S.DRAFT
    assert "当前状态为“草稿”，不能“立即发布”" in response.content.decode()
    assert not IssueTransition.objects.exists()


def test_a_reason_is_required_to_return(role_users):
    issue = make_issue(S.PROOFING)

    response = client_for(role_users["核稿"]).post(transition_url(issue, "return"), {})

    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == S.PROOFING


def test_the_confirmation_page_is_refused_to_those_without_the_right(role_users):
    issue = make_issue(S.CHECKED)

    assert client_for(role_users["编辑"]).get(transition_url(issue, "approve")).status_code == 403
    page = client_for(role_users["签发"]).get(transition_url(issue, "approve"))
    assert page.status_code == 200
    assert "确认签发" in page.content.decode()


def test_the_issue_page_shows_each_role_its_buttons_and_the_log_newest_first(role_users):
    issue = make_issue(S.PROOFING)
    IssueTransition.objects.create(
        issue=issue, action="submit", from_status=S.DRAFT, to_status=S.PROOFING,
        user=role_users["编辑"], comment="第一次提交",
    )  # fmt: skip
    client_for(role_users["核稿"]).post(transition_url(issue, "return"), {"comment": "退回重排"})
    client_for(role_users["编辑"]).post(transition_url(issue, "submit"))

    change = reverse("admin:issues_issue_change", args=[issue.pk])
    proofreader_page = client_for(role_users["核稿"]).get(change).content.decode()
    editor_page = client_for(role_users["编辑"]).get(change).content.decode()

    assert transition_url(issue, "pass") in proofreader_page
    assert transition_url(issue, "pass") not in editor_page
    log = proofreader_page[proofreader_page.index("流程记录") :]
    assert log.index("提交校对") < log.index("退回重排") < log.index("第一次提交")


def test_the_status_is_not_a_field_of_the_issue_form(editor_client):
    issue = make_issue(S.DRAFT)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = change_form_data(editor_client, url)
    assert "status" not in data

    data["status"] = S.PUBLISHED
    response = editor_client.post(url, data)

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == S.DRAFT


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (S.DRAFT, {"编辑", "admin"}),
        (S.PROOFING, {"核稿", "admin"}),
        (S.CHECKED, {"签发", "admin"}),
        (S.APPROVED, {"签发", "admin"}),
        (S.PUBLISHED, {"签发", "admin"}),
    ],
)
def test_who_may_edit_an_issue_in_each_state(role_users, editor_client, status, allowed):
    issue = make_issue(status)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    for role in ROLES:
        data = change_form_data(editor_client, url)  # what a crafted POST could send
        data["notes"] = f"{role}的备注"

        response = client_for(role_users[role]).post(url, data)

        issue.refresh_from_db()
        if role in allowed:
            assert response.status_code == 302, (role, status)
            assert issue.notes == f"{role}的备注"
        else:
            assert response.status_code == 403, (role, status)
            assert issue.notes != f"{role}的备注"


def test_an_article_added_in_the_issue_takes_the_issue_state(editor_client):
    issue = make_issue(S.PROOFING)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = change_form_data(editor_client, url)
    prefix = "articles"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    data[f"{prefix}-{total}-title"] = "新加的稿件"
    data[f"{prefix}-{total}-section"] = issue.articles.get().section_id
    data[f"{prefix}-{total}-order"] = 2

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert Article.objects.get(title="新加的稿件").status == S.PROOFING
