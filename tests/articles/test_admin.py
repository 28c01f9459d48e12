"""The articles admin: the article form with its author lines, and searching articles and sections."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")
SECTIONS = reverse("admin:articles_section_changelist")


def test_article_change_page_has_authorship_inline_with_person_autocomplete(editor_client):
    article = factories.ArticleFactory()
    factories.AuthorshipFactory(article=article, person=factories.PersonFactory(name="黄远声"))

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    content = response.content.decode()
    select = re.search(r'<select[^>]*name="authorships-0-person"[^>]*>', content)
    assert select, "the authorship inline has no person field"
    assert "admin-autocomplete" in select.group(0)
    assert "黄远声" in content


def test_person_autocomplete_finds_people_by_name(editor_client):
    person = factories.PersonFactory(name="黄远声")
    factories.PersonFactory(name="张伟")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "authorship",
            "field_name": "person",
            "term": "黄",
        },
    )

    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(person.pk), "text": "黄远声"}]


def test_article_search_shows_the_matching_articles_only(editor_client):
    hit = factories.ArticleFactory(title="关于乡村振兴的调研")
    factories.AuthorshipFactory(article=hit, person=factories.PersonFactory(name="黄远声"))
    factories.ArticleFactory(title="民营经济座谈会")

    response = editor_client.get(ARTICLES, {"q": "调研"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "关于乡村振兴的调研" in content
    assert "民营经济座谈会" not in content


def test_section_search_shows_the_matching_sections_only(editor_client):
    factories.SectionFactory(name="市县栏目", parent=factories.SectionFactory(name="地方政协"))
    factories.SectionFactory(name="理论研究")

    response = editor_client.get(SECTIONS, {"q": "栏目"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "市县栏目" in content
    assert "理论研究" not in content
