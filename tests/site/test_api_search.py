"""GET /api/search/: shape, filters, paging, its 400s, hostile input, published articles only."""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.search.analysis import refresh_names
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
)
from tests.hostile_input import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db

URL = reverse("api:search")


def at(year, month, day):
    return datetime.datetime(year, month, day, 2, 0, tzinfo=datetime.UTC)


def published(issue, section, title, body):
    return ArticleFactory(issue=issue, section=section, title=title, body=body, published=True)


@pytest.fixture
def corpus(search_index):
    PublicationFactory()
    parent = SectionFactory(name="理论研究")
    child = SectionFactory(name="理论探讨", parent=parent)
    news = SectionFactory(name="政协动态")
    old = IssueFactory(year=2023, number=5, published=True, published_at=at(2023, 10, 1))
    new = IssueFactory(
        year=2024, number=2, total_number=301, published=True, published_at=at(2024, 3, 1)
    )
    rural = published(new, child, "乡村振兴调研报告", "<p>推进乡村振兴，5G基站进村。</p>")
    economy = published(old, news, "民营经济座谈会", "<p>民营经济与乡村振兴。</p>")
    person = PersonFactory(name="孙大伟")
    AuthorshipFactory(article=rural, person=person)
    organisation = OrganisationFactory(name="崇左市政协")
    AuthorshipFactory(article=economy, person=None, organisation=organisation)
    draft = ArticleFactory(
        issue=new, section=news, status=Article.Status.DRAFT, body="<p>乡村振兴 秘密草稿</p>"
    )
    in_draft_issue = ArticleFactory(
        issue=IssueFactory(year=2025, number=1),
        section=news,
        status=Article.Status.PUBLISHED,
        body="<p>乡村振兴 秘密草稿</p>",
    )
    staff = PersonFactory(name="沈内部")
    AuthorshipFactory(article=draft, person=staff)
    search_index.rebuild()
    return locals()


def get_json(client, status=200, **params):
    response = client.get(URL, params)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def ids(data):
    return [result["id"] for result in data["results"]]


def test_shape_of_an_answer(client, corpus):
    data = get_json(client, q="5G基站")

    assert set(data) >= {"query", "count", "page", "results"}
    assert data["query"] == "5G基站"
    assert data["count"] == 1
    assert data["page"] == 1
    assert data["page_size"] == 20
    assert data["num_pages"] == 1
    assert data["next"] is None and data["previous"] is None
    rural = corpus["rural"]
    [result] = data["results"]
    assert result == {
        "id": rural.pk,
        "title": "乡村振兴调研报告",
        "url": f"http://testserver/articles/{rural.pk}/",
        "api_url": f"http://testserver/api/articles/{rural.pk}/",
        "issue": {"year": 2024, "number": 2, "title": "2024年第2期（总第301期）"},
        "section": {"id": corpus["child"].pk, "name": "理论探讨"},
        "highlight": "推进乡村振兴，<mark>5G基站</mark>进村。",
    }


def test_cache_header(client, corpus):
    response = client.get(URL, {"q": "乡村振兴"})
    assert "max-age=300" in response["Cache-Control"]


def test_finds_published_articles_only(client, corpus):
    data = get_json(client, q="乡村振兴")
    assert sorted(ids(data)) == sorted([corpus["rural"].pk, corpus["economy"].pk])
    assert data["count"] == 2
    assert all("<mark>乡村振兴</mark>" in result["highlight"] for result in data["results"])

    for query in ["秘密草稿", "沈内部"]:
        assert get_json(client, q=query)["count"] == 0


def test_every_word_must_occur(client, corpus):
    assert ids(get_json(client, q="乡村振兴 5G基站")) == [corpus["rural"].pk]
    assert get_json(client, q="5G基站 民营经济")["count"] == 0


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "！？。"}])
def test_no_query_is_no_results_not_an_error(client, corpus, params):
    data = get_json(client, **params)

    assert data["count"] == 0
    assert data["results"] == []


@pytest.mark.parametrize("by", ["id", "slug"])
def test_section_filter_by_id_or_slug_includes_subsections(client, corpus, by):
    parent, news = corpus["parent"], corpus["news"]
    value = (lambda section: str(section.pk)) if by == "id" else (lambda section: section.slug)

    assert ids(get_json(client, q="乡村振兴", section=value(parent))) == [corpus["rural"].pk]
    assert ids(get_json(client, q="乡村振兴", section=value(news))) == [corpus["economy"].pk]


def test_year_author_and_sort(client, corpus):
    rural, economy = corpus["rural"].pk, corpus["economy"].pk
    assert ids(get_json(client, q="乡村振兴", year="2023")) == [economy]
    assert ids(get_json(client, q="乡村振兴", author=f"p{corpus['person'].pk}")) == [rural]
    assert ids(get_json(client, q="乡村振兴", author=f"o{corpus['organisation'].pk}")) == [economy]
    assert ids(get_json(client, q="乡村振兴", sort="date")) == [rural, economy]


@pytest.fixture
def many(search_index):
    PublicationFactory()
    section = SectionFactory()
    issue = IssueFactory(published=True, published_at=at(2024, 5, 1))
    articles = [published(issue, section, f"提案办理{n}", "<p>提案办理</p>") for n in range(25)]
    search_index.rebuild()
    return articles


def test_pages_with_links_keeping_the_parameters(client, many):
    first = get_json(client, q="提案办理", page_size="10", sort="date")
    assert (first["count"], first["page"], first["page_size"], first["num_pages"]) == (25, 1, 10, 3)
    assert len(first["results"]) == 10
    assert first["previous"] is None
    assert parse_qs(urlsplit(first["next"]).query) == {
        "q": ["提案办理"],
        "page_size": ["10"],
        "sort": ["date"],
        "page": ["2"],
    }

    last = get_json(client, q="提案办理", page_size="10", sort="date", page="3")
    assert len(last["results"]) == 5
    assert last["next"] is None
    assert parse_qs(urlsplit(last["previous"]).query)["page"] == ["2"]
    second = get_json(client, q="提案办理", page_size="10", sort="date", page="2")
    assert len(set(ids(first)) | set(ids(second)) | set(ids(last))) == 25


def test_page_size_defaults_to_20_and_is_clamped_to_100(client, many):
    assert len(get_json(client, q="提案办理")["results"]) == 20
    data = get_json(client, q="提案办理", page_size="1000")
    assert data["page_size"] == 100
    assert len(data["results"]) == 25


def test_a_page_past_the_end_is_empty_not_an_error(client, many):
    data = get_json(client, q="提案办理", page="99")

    assert data["count"] == 25
    assert data["results"] == []
    assert data["next"] is None
    assert data["previous"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "Parameter 'page' must be a positive integer"),
        ({"page": "0"}, "Parameter 'page' must be a positive integer"),
        ({"page": "-1"}, "Parameter 'page' must be a positive integer"),
        ({"page": "9" * 30}, "Parameter 'page' must be a positive integer"),
        ({"page_size": "abc"}, "Parameter 'page_size' must be a positive integer"),
        ({"page_size": "0"}, "Parameter 'page_size' must be a positive integer"),
        ({"section": "no-such-section"}, "Parameter 'section'"),
        ({"section": "999999"}, "Parameter 'section'"),
        ({"year": "abc"}, "Parameter 'year'"),
        ({"year": "99999"}, "Parameter 'year'"),
        ({"author": "x1"}, "Parameter 'author'"),
        ({"author": "p999999"}, "Parameter 'author'"),
        ({"author": "staff"}, "Parameter 'author'"),
        ({"sort": "random"}, "Parameter 'sort'"),
    ],
)
def test_bad_parameters_answer_400(client, corpus, params, message):
    if params.get("author") == "staff":
        params = {"author": f"p{corpus['staff'].pk}"}  # has no published article
    data = get_json(client, status=400, q="乡村振兴", **params)

    assert set(data) == {"error"}
    assert data["error"]["status"] == 400
    assert data["error"]["message"].startswith(message)
    assert "沈内部" not in data["error"]["message"]


def test_post_answers_405(client, corpus):
    response = client.post(URL, {"q": "乡村振兴"})
    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:30]))
def test_hostile_queries_answer_valid_json(client, corpus, query):
    data = get_json(client, q=query)

    assert isinstance(data["count"], int)
    assert len(data["query"]) <= 100
    assert "<script>" not in json.dumps(data, ensure_ascii=False)


def test_queries_do_not_grow_with_the_number_of_results(client, many, corpus):
    for article in many[:20]:
        AuthorshipFactory(article=article, person=PersonFactory())
    refresh_names(force=True)  # the once-a-minute look for new names is not per result
    with CaptureQueriesContext(connection) as twenty:
        assert len(get_json(client, q="提案办理")["results"]) == 20
    with CaptureQueriesContext(connection) as one:
        assert len(get_json(client, q="5G基站")["results"]) == 1

    assert len(twenty) == len(one) <= 4
