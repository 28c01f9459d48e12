"""The article admin's 修改历史: revisions listed, two compared, an older one restored."""

import re

import pytest
import reversion
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Authorship
from tests.admin_forms import form_data
from tests.factories import ArticleFactory, AuthorshipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>李晓明来到市劳动模范、某纸业有限公司机修车间班长王建新家中，"
    "与他亲切交流，仔细询问他的生活和工作情况。</p><p>节日期间，部分职工将继续坚守在生产一线。</p>"
)


def save_revision(article, user=None, comment=""):
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)
    return Version.objects.get_for_object(article).first()


@pytest.fixture
def article_with_history(django_user_model):
    """An article imported with one author (revision 1), then retitled with a second author
    and a corrected character (revision 2)."""
    author = UserFactory(username="wuning", first_name="吴宁")
    article = ArticleFactory(title="李晓明深入基层开展慰问活动", body=BODY)
    AuthorshipFactory(article=article, person=PersonFactory(name="赵一鸣"), role="reporter")
    first = save_revision(article, author, "导入印刷文本")
    article = Article.objects.get(pk=article.pk)
    article.title = "李晓明深入基层开展节前慰问活动"
    article.body = BODY.replace("亲切交流", "亲切交谈")
    article.save()
    AuthorshipFactory(article=article, person=PersonFactory(name="李明"), role="correspondent")
    second = save_revision(article, author, "校对修改")
    return Article.objects.get(pk=article.pk), first, second


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def test_history_lists_revisions_with_who_when_and_comment(editor_client, article_with_history):
    article, first, second = article_with_history
    response = editor_client.get(history_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "修改历史" in html
    assert "导入印刷文本" in html and "校对修改" in html
    assert "吴宁" in html
    assert [row["version"] for row in response.context["rows"]] == [second, first]
    # The change page's 历史 link leads here.
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert history_url(article) in change.content.decode()


def test_history_shows_the_latest_change_by_default_and_any_two_on_request(
    editor_client, article_with_history
):
    article, first, second = article_with_history
    response = editor_client.get(history_url(article))
    changes = {c.label: c for c in response.context["comparison"]["changes"]}
    assert set(changes) == {"标题", "作者", "正文"}
    assert "<ins>节前</ins>" in changes["标题"].html
    assert "<del>流</del><ins>谈</ins>" in changes["正文"].html
    assert changes["作者"].new == "记者 赵一鸣、通讯员 李明"

    reverse_order = editor_client.get(history_url(article), {"old": second.pk, "new": first.pk})
    html = reverse_order.content.decode()
    assert "<del>节前</del>" in html
    assert "<del>谈</del><ins>流</ins>" in html

    with_current = editor_client.get(history_url(article), {"old": first.pk, "new": "current"})
    assert "<ins>节前</ins>" in with_current.content.decode()


def test_history_ignores_a_version_of_another_article(editor_client, article_with_history):
    article, first, _ = article_with_history
    other = ArticleFactory()
    foreign = save_revision(other)
    response = editor_client.get(history_url(article), {"old": foreign.pk, "new": first.pk})
    assert response.status_code == 200
    assert response.context["comparison"] is None


def test_restore_brings_back_text_and_authors_as_a_new_revision(
    editor_client, article_with_history
):
    article, first, second = article_with_history
    status_before = article.status
    response = editor_client.post(restore_url(article, first))
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.title == "李晓明深入基层开展慰问活动"
    assert "亲切交流" in article.body
    assert [a.display_name for a in article.authorships.all()] == ["赵一鸣"]
    assert article.status == status_before  # the workflow's state is not the history's

    versions = list(Version.objects.get_for_object(article))
    assert len(versions) == 3
    newest = versions[0].revision
    assert newest.comment.startswith("恢复到") and newest.comment.endswith("的版本")
    assert newest.user.username == "editor"
    assert Authorship.objects.filter(article=article).count() == 1

    # The restore is itself restorable: going back to the second revision re-adds 李明.
    editor_client.post(restore_url(article, second))
    article.refresh_from_db()
    assert article.title == "李晓明深入基层开展节前慰问活动"
    assert [a.display_name for a in article.authorships.order_by("order")] == ["赵一鸣", "李明"]


def test_restore_is_refused_without_change_permission(client, article_with_history):
    article, first, _ = article_with_history
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)

    page = client.get(history_url(article))
    assert page.status_code == 200
    assert "恢复到此版本" not in page.content.decode()

    response = client.post(restore_url(article, first))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "李晓明深入基层开展节前慰问活动"
    assert Version.objects.get_for_object(article).count() == 2


def test_restore_needs_post(editor_client, article_with_history):
    article, first, _ = article_with_history
    assert editor_client.get(restore_url(article, first)).status_code == 405


def test_restore_checks_csrf(django_user_model, article_with_history):
    article, first, _ = article_with_history
    user = django_user_model.objects.create_superuser("csrfuser", "c@example.org", "pw")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)

    assert browser.post(restore_url(article, first)).status_code == 403
    article.refresh_from_db()
    assert article.title == "李晓明深入基层开展节前慰问活动"

    page = browser.get(history_url(article)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(restore_url(article, first), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "李晓明深入基层开展慰问活动"


def test_admin_save_keeps_a_revision_with_user_and_comment(editor_client):
    article = ArticleFactory(title="原标题", body=BODY)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url))
    data["title"] = "新标题"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    [version] = Version.objects.get_for_object(article)
    assert version.field_dict["title"] == "新标题"
    assert version.revision.user.username == "editor"
    assert "标题" in version.revision.comment
