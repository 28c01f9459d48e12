"""Who may edit an article in which state, through the admin with real POSTs; corrections of
published texts; the 草稿 ⇄ 校对中 steps of an article not yet in an issue."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from issues.models import Issue
from tests.admin_forms import change_form_data
from tests.factories import ArticleFactory, IssueFactory

pytestmark = pytest.mark.django_db

S = Issue.Status
ROLES = ["编辑", "核稿", "签发", "发行", "admin"]
EDITORS = {
    S.DRAFT: {"编辑", "admin"},
    S.PROOFING: {"核稿", "admin"},
    S.CHECKED: {"签发", "admin"},
    S.APPROVED: {"签发", "admin"},
    S.PUBLISHED: {"签发", "admin"},
}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.parametrize("status", list(EDITORS))
def test_who_may_edit_an_article_of_an_issue_in_each_state(role_users, editor_client, status):
    issue = IssueFactory(status=status)
    article = ArticleFactory(issue=issue, status=status, title="原标题")
    for role in ROLES:
        data = change_form_data(editor_client, change_url(article))  # a crafted POST
        data["title"] = f"{role}改的标题"

        response = client_for(role_users[role]).post(change_url(article), data)

        article.refresh_from_db()
        if role in EDITORS[status]:
            assert response.status_code == 302, (role, status)
            assert article.title == f"{role}改的标题"
        else:
            assert response.status_code == 403, (role, status)
            assert article.title != f"{role}改的标题"


def test_a_refused_user_sees_the_article_read_only(role_users):
    article = ArticleFactory(issue=IssueFactory(status=S.PROOFING), status=S.PROOFING)

    page = client_for(role_users["编辑"]).get(change_url(article)).content.decode()

    assert article.title in page
    assert 'name="title"' not in page


def test_the_status_field_is_not_in_the_form(editor_client):
    article = ArticleFactory(issue=IssueFactory(status=S.DRAFT), status=S.DRAFT)
    data = change_form_data(editor_client, change_url(article))
    assert "status" not in data
    data["status"] = S.PUBLISHED

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.status == S.DRAFT


def test_moving_an_article_into_an_issue_takes_its_state_and_needs_the_right(role_users):
    article = ArticleFactory(issue=None, status=S.DRAFT)
    proofing = IssueFactory(status=S.PROOFING, number=1)
    draft = IssueFactory(status=S.DRAFT, number=2)
    editor = client_for(role_users["编辑"])

    data = change_form_data(editor, change_url(article))
    data["issue"] = proofing.pk
    refused = editor.post(change_url(article), data)
    assert refused.status_code == 200
    assert "处于“校对中”状态，您不能把稿件编入或移出这一期" in refused.content.decode()
    article.refresh_from_db()
    assert article.issue_id is None

    data["issue"] = draft.pk
    assert editor.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.issue_id, article.status) == (draft.pk, S.DRAFT)


def test_a_correction_of_a_published_article_is_dated_and_shown_to_readers(
    role_users, client, editor_client
):
    article = ArticleFactory(published=True, body="<p>会议于三月一日召开。</p>")
    data = change_form_data(editor_client, change_url(article))
    data["body"] = "<p>会议于三月二日召开。</p>"
    data["correction_note"] = "原文“三月一日”应为“三月二日”。"

    response = client_for(role_users["签发"]).post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.corrected_at is not None
    page = client.get(article.get_absolute_url()).content.decode()
    assert "三月二日召开" in page
    assert "原文“三月一日”应为“三月二日”。" in page
    assert f"{article.corrected_at:%Y}年" in page


def test_only_a_draft_article_may_be_deleted(role_users):
    draft = ArticleFactory(issue=IssueFactory(status=S.DRAFT, number=1), status=S.DRAFT)
    proofing = ArticleFactory(issue=IssueFactory(status=S.PROOFING, number=2), status=S.PROOFING)
    editor = client_for(role_users["编辑"])

    def delete(article):
        url = reverse("admin:articles_article_delete", args=[article.pk])
        return editor.post(url, {"post": "yes"}).status_code

    assert delete(proofing) == 403
    assert delete(draft) == 302
    assert set(Article.objects.all()) == {proofing}


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def test_an_unassigned_article_goes_to_proofing_and_back(role_users):
    article = ArticleFactory(issue=None, status=S.DRAFT)

    assert client_for(role_users["核稿"]).post(transition_url(article, "submit")).status_code == 403
    assert client_for(role_users["编辑"]).post(transition_url(article, "submit")).status_code == 302
    article.refresh_from_db()
    assert article.status == S.PROOFING

    editor_return = client_for(role_users["编辑"]).post(
        transition_url(article, "return"), {"comment": "重写"}
    )
    assert editor_return.status_code == 403
    proofreader = client_for(role_users["核稿"])
    assert proofreader.post(transition_url(article, "return"), {"comment": ""}).status_code == 200
    assert (
        proofreader.post(transition_url(article, "return"), {"comment": "重写"}).status_code == 302
    )
    article.refresh_from_db()
    assert article.status == S.DRAFT


def test_an_article_in_an_issue_moves_only_with_its_issue(role_users):
    article = ArticleFactory(issue=IssueFactory(status=S.DRAFT), status=S.DRAFT)

    response = client_for(role_users["编辑"]).post(transition_url(article, "submit"), follow=True)

    assert "随期刊一起流转" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.DRAFT
