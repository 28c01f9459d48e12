"""GET /api/search/: shape, filters, paging, its 400s, hostile input, published articles only."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.search.analysis import refresh_names
from tests.factories import (
    AuthorshipFactory,
    PersonFactory,
)
from tests.hostile_input import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db

URL = reverse("api:search")


def get_json(client, status=200, **params):
    response = client.get(URL, params)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def ids(data):
    return [result["id"] for result in data["results"]]


def test_shape_of_an_answer(client, search_corpus):
    data = get_json(client, q="5G基站")

    assert set(data) >= {"query", "count", "page", "results"}
    assert data["query"] == "5G基站"
    assert data["count"] == 1
    assert data["page"] == 1
    assert data["page_size"] == 20
    assert data["num_pages"] == 1
    assert data["next"] is None and data["previous"] is None
    rural = search_corpus.rural
    [result] = data["results"]
    assert result == {
        "id": rural.pk,
        "title": "乡村振兴调研报告",
        "url": f"http://testserver/articles/{rural.pk}/",
        "api_url": f"http://testserver/api/articles/{rural.pk}/",
        "issue": {"year": 2024, "number": 2, "title": "2024年第2期（总第301期）"},
        "section": {"id": search_corpus.discussion.pk, "name": "理论探讨"},
        "highlight": "推进乡村振兴，壮大民营经济。<mark>5G基站</mark>覆盖所有行政村，GDP增长百分之六。",
    }


def test_cache_header(client, search_corpus):
    response = client.get(URL, {"q": "乡村振兴"})
    assert "max-age=300" in response["Cache-Control"]


def test_finds_published_articles_only(client, search_corpus):
    data = get_json(client, q="乡村振兴")
    assert sorted(ids(data)) == sorted([search_corpus.rural.pk, search_corpus.economy.pk])
    assert data["count"] == 2
    assert all("<mark>乡村振兴</mark>" in result["highlight"] for result in data["results"])

    for query in ["秘密草稿", "沈内部"]:
        assert get_json(client, q=query)["count"] == 0


def test_every_word_must_occur(client, search_corpus):
    assert ids(get_json(client, q="乡村振兴 5G基站")) == [search_corpus.rural.pk]
    assert get_json(client, q="5G基站 座谈会")["count"] == 0


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "！？。"}])
def test_no_query_is_no_results_not_an_error(client, search_corpus, params):
    data = get_json(client, **params)

    assert data["count"] == 0
    assert data["results"] == []


@pytest.mark.parametrize("by", ["id", "slug"])
def test_section_filter_by_id_or_slug_includes_subsections(client, search_corpus, by):
    parent, news = search_corpus.theory, search_corpus.news
    value = (lambda section: str(section.pk)) if by == "id" else (lambda section: section.slug)

    assert ids(get_json(client, q="乡村振兴", section=value(parent))) == [search_corpus.rural.pk]
    assert ids(get_json(client, q="乡村振兴", section=value(news))) == [search_corpus.economy.pk]


def test_year_author_and_sort(client, search_corpus):
    rural, economy = search_corpus.rural.pk, search_corpus.economy.pk
    assert ids(get_json(client, q="乡村振兴", year="2023")) == [economy]
    assert ids(get_json(client, q="乡村振兴", author=f"p{search_corpus.sun.pk}")) == [rural]
    assert ids(get_json(client, q="乡村振兴", author=f"o{search_corpus.city.pk}")) == [economy]
    assert ids(get_json(client, q="乡村振兴", sort="date")) == [rural, economy]


def test_pages_with_links_keeping_the_parameters(client, many_search_results):
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


def test_page_size_defaults_to_20_and_is_clamped_to_100(client, many_search_results):
    assert len(get_json(client, q="提案办理")["results"]) == 20
    data = get_json(client, q="提案办理", page_size="1000")
    assert data["page_size"] == 100
    assert len(data["results"]) == 25


def test_a_page_past_the_end_is_empty_not_an_error(client, many_search_results):
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
def test_bad_parameters_answer_400(client, search_corpus, params, message):
    if params.get("author") == "staff":
        params = {"author": f"p{search_corpus.staff.pk}"}  # has no published article
    data = get_json(client, status=400, q="乡村振兴", **params)

    assert set(data) == {"error"}
    assert data["error"]["status"] == 400
    assert data["error"]["message"].startswith(message)
    assert "沈内部" not in data["error"]["message"]


def test_post_answers_405(client, search_corpus):
    response = client.post(URL, {"q": "乡村振兴"})
    assert response.status_code == 405
    assert response.json()["error"]["status"] == 405


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:30]))
def test_hostile_queries_answer_valid_json(client, search_corpus, query):
    data = get_json(client, q=query)

    assert isinstance(data["count"], int)
    assert len(data["query"]) <= 100
    assert "<script>" not in json.dumps(data, ensure_ascii=False)


def test_queries_do_not_grow_with_the_number_of_results(client, many_search_results, search_corpus):
    for article in many_search_results.articles[:20]:
        AuthorshipFactory(article=article, person=PersonFactory())
    refresh_names(force=True)  # the once-a-minute look for new names is not per result
    with CaptureQueriesContext(connection) as twenty:
        assert len(get_json(client, q="提案办理")["results"]) == 20
    with CaptureQueriesContext(connection) as one:
        assert len(get_json(client, q="5G基站")["results"]) == 1

    # 提案办理 (four characters) reads its candidates' search text once to verify the phrase
    # (articles/search/verify.py): one query whatever the number of results.
    verifying = [q for q in twenty.captured_queries if '"search_text"' in q["sql"]]
    assert len(verifying) == 1
    assert len(twenty) - 1 == len(one) <= 4
