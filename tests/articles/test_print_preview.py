"""The admin's 印刷样式预览 (articles/print_preview.py)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import ArticleFactory, ArticleImageFactory, AuthorshipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def preview_url(article):
    return reverse("admin:articles_article_print_preview", args=[article.pk])


@pytest.fixture
def article():
    article = ArticleFactory(
        kicker="凝心聚力谋发展",
        title="百色市政协以党建引领政协工作高质量发展",
        subtitle="——2023年工作综述",
        body="<p>2023年以来，百色市政协坚持<strong>党建引领</strong>。</p><h3>一、创建党建品牌</h3>",
        source="《广西政协报》",
        author_note="作者单位：百色市政协",
    )
    AuthorshipFactory(article=article, person=PersonFactory(name="农喜养"), order=1)
    AuthorshipFactory(
        article=article, person=PersonFactory(name="吴宁"), printed_name="吴 宁", order=2
    )
    return article


def test_the_preview_shows_the_article_as_printed(editor_client, article):
    ArticleImageFactory(article=article, caption="委员开展专题调研")

    response = editor_client.get(preview_url(article))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<p class="kicker">凝心聚力谋发展</p>' in page
    assert '<h1 class="title" id="print-title">百色市政协以党建引领政协工作高质量发展</h1>' in page
    assert '<p class="subtitle">——2023年工作综述</p>' in page
    assert '<p class="authors">农喜养　吴 宁</p>' in page
    assert "<p>2023年以来，百色市政协坚持<strong>党建引领</strong>。</p>" in page
    assert "<h3>一、创建党建品牌</h3>" in page
    assert "<figcaption>委员开展专题调研</figcaption>" in page
    assert '<p class="end-note">（来源：《广西政协报》）</p>' in page
    assert '<p class="end-note">（作者单位：百色市政协）</p>' in page
    assert "/static/css/print_preview.css" in page


def test_a_draft_can_be_previewed(editor_client, article):
    assert article.status == article.Status.DRAFT

    assert editor_client.get(preview_url(article)).status_code == 200


def test_the_change_page_links_to_the_preview(editor_client, article):
    page = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    assert f'href="{preview_url(article)}"' in page
    assert "印刷样式预览" in page


def test_staff_with_view_permission_may_preview(client, django_user_model, article):
    user = django_user_model.objects.create_user("reader-staff", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)

    assert client.get(preview_url(article)).status_code == 200


def test_staff_without_article_permission_are_refused(client, django_user_model, article):
    user = django_user_model.objects.create_user("distribution", password="pw", is_staff=True)
    client.force_login(user)

    assert client.get(preview_url(article)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, article):
    response = client.get(preview_url(article))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_unknown_article_redirects_as_the_admin_does(editor_client):
    response = editor_client.get(reverse("admin:articles_article_print_preview", args=[999999]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
