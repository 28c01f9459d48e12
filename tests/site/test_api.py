"""The read-only JSON API (bulletin/api/): shapes, the published-only rule, pagination, errors,
and a fixed number of queries per endpoint."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Authorship
from issues.models import Issue, IssueCredit, IssueSection
from people.models import Person
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueCreditFactory,
    IssueFactory,
    IssueSectionFactory,
    OrganisationFactory,
    PersonFactory,
    PublicationFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

UNPUBLISHED_ISSUE_STATUSES = [
    Issue.Status.DRAFT,
    Issue.Status.PROOFING,
    Issue.Status.APPROVED,
]
UNPUBLISHED_ARTICLE_STATUSES = [
    Article.Status.DRAFT,
    Article.Status.PROOFING,
    Article.Status.APPROVED,
]
PUBLISHED_AT = datetime.datetime(2024, 3, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Shanghai


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def assert_error(client, url, status, **params):
    data = get_json(client, url, status, **params)
    assert set(data) == {"error"}
    assert data["error"]["status"] == status
    assert data["error"]["message"]
    return data["error"]["message"]


@pytest.fixture(params=["anonymous", "staff"])
def any_client(request, client):
    """Readers and logged-in staff see exactly the same API: it has no preview."""
    if request.param == "staff":
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def published_issue(publication, **kwargs):
    kwargs.setdefault("published_at", PUBLISHED_AT)
    return IssueFactory(publication=publication, published=True, **kwargs)


def published_article(issue, section, **kwargs):
    return ArticleFactory(issue=issue, section=section, published=True, **kwargs)


def bulk_bulletin(publication, *, issues, sections=4, per_section=2, authors=2, first_number=1):
    """Published issues, each with ``sections`` sections of ``per_section`` published articles of
    ``authors`` authors (people and organisations alternating) and three credits; bulk-inserted."""
    section_rows = [SectionFactory() for _ in range(sections)]  # tree fields need save()
    organisations = [OrganisationFactory() for _ in range(2)]
    issue_rows = Issue.objects.bulk_create(
        Issue(
            publication=publication,
            year=2000 + (first_number + i) // 12,
            number=(first_number + i) % 12 + 1,
            total_number=first_number + i,
            status=Issue.Status.PUBLISHED,
            published_at=PUBLISHED_AT,
        )
        for i in range(issues)
    )
    IssueSection.objects.bulk_create(
        IssueSection(issue=issue, section=section, order=n)
        for issue in issue_rows
        for n, section in enumerate(section_rows)
    )
    staff = Person.objects.bulk_create(Person(name=f"编辑{n}") for n in range(3))
    IssueCredit.objects.bulk_create(
        IssueCredit(issue=issue, person=person, role=role)
        for issue in issue_rows
        for person, role in zip(staff, IssueCredit.Role.values, strict=True)
    )
    article_rows = Article.objects.bulk_create(
        Article(
            issue=issue,
            section=section,
            title=f"{issue.number}期{section.name}第{n}篇",
            body="<p>正文</p>",
            order=n,
            status=Article.Status.PUBLISHED,
        )
        for issue in issue_rows
        for section in section_rows
        for n in range(per_section)
    )
    people = iter(
        Person.objects.bulk_create(
            Person(name=f"作者{n}") for n in range(len(article_rows) * authors)
        )
    )
    Authorship.objects.bulk_create(
        Authorship(article=article, order=n, person=next(people))
        if n % 2 == 0
        else Authorship(article=article, order=n, organisation=organisations[n % 4 // 2])
        for article in article_rows
        for n in range(authors)
    )
    return issue_rows, article_rows, section_rows


# --- shapes -------------------------------------------------------------------------------------


def test_index_links_the_lists(client):
    assert get_json(client, "/api/") == {
        "issues": "http://testserver/api/issues/",
        "sections": "http://testserver/api/sections/",
    }


def test_issue_list_shape_and_order(client, publication):
    section = SectionFactory()
    older = published_issue(
        publication,
        year=2023,
        number=12,
        total_number=299,
        publish_date=datetime.date(2023, 12, 20),
    )
    newer = published_issue(
        publication,
        year=2024,
        number=2,
        total_number=301,
        publish_date=datetime.date(2024, 2, 28),
        cover=ContentFile(b"not really a png", name="cover.png"),
    )
    published_article(newer, section)
    published_article(newer, section)
    ArticleFactory(issue=newer, section=section)  # draft: not counted
    published_article(older, section)

    data = get_json(client, "/api/issues/")

    assert {k: v for k, v in data.items() if k != "results"} == {
        "count": 2,
        "page": 1,
        "page_size": 20,
        "num_pages": 1,
        "next": None,
        "previous": None,
    }
    first, second = data["results"]
    assert first.pop("cover") == f"http://testserver{newer.cover.url}"
    assert newer.cover.url.startswith("/media/covers/")
    assert first == {
        "year": 2024,
        "number": 2,
        "total_number": 301,
        "title": "2024年第2期（总第301期）",
        "publish_date": "2024-02-28",
        "published_at": "2024-03-01T10:00:00+08:00",
        "url": "http://testserver/issues/2024/2/",
        "api_url": "http://testserver/api/issues/2024/2/",
        "article_count": 2,
    }
    assert (second["year"], second["number"], second["cover"], second["article_count"]) == (
        older.year,
        older.number,
        None,
        1,
    )


def test_issue_list_nulls(client, publication):
    published_issue(publication, year=2024, number=1, published_at=None)

    (issue,) = get_json(client, "/api/issues/")["results"]

    assert issue["total_number"] is None
    assert issue["title"] == "2024年第1期"
    assert issue["publish_date"] is None
    assert issue["published_at"] is None
    assert issue["cover"] is None
    assert issue["article_count"] == 0


def test_issue_detail_table_of_contents_in_print_order(client, publication):
    issue = published_issue(publication, year=2024, number=2, total_number=301)
    news = SectionFactory(name="政协动态")
    theory = SectionFactory(name="理论研究")
    empty = SectionFactory(name="他山之石")
    # This issue prints 理论研究 before 政协动态, against the sections' tree order.
    IssueSectionFactory(issue=issue, section=theory, order=0)
    IssueSectionFactory(issue=issue, section=news, order=1)
    IssueSectionFactory(issue=issue, section=empty, order=2)
    a = published_article(issue, news, order=0, start_page=9, title="甲")
    b = published_article(issue, theory, order=1, start_page=5, title="乙", subtitle="——副题")
    c = published_article(issue, theory, order=0, start_page=1, title="丙")
    ArticleFactory(issue=issue, section=theory, order=2, title="草稿")  # draft
    ArticleFactory(issue=issue, section=empty, title="另一篇草稿")  # draft
    reporter = PersonFactory(name="吴宁")
    AuthorshipFactory(
        article=b, person=reporter, role=Authorship.Role.REPORTER, printed_name="吴 宁", order=0
    )
    city = OrganisationFactory(name="政协西安市委员会")
    AuthorshipFactory(article=b, person=None, organisation=city, order=1)
    for order, name in [(1, "李编辑"), (0, "王编辑")]:
        IssueCreditFactory(
            issue=issue, person=PersonFactory(name=name), role=IssueCredit.Role.EDITOR, order=order
        )
    IssueCreditFactory(issue=issue, person=PersonFactory(name="赵核稿"), role="proofreader")

    data = get_json(client, "/api/issues/2024/2/")

    assert data["title"] == "2024年第2期（总第301期）"
    assert data["article_count"] == 3
    assert data["api_url"] == "http://testserver/api/issues/2024/2/"
    assert set(data) == {
        "year",
        "number",
        "total_number",
        "title",
        "publish_date",
        "published_at",
        "url",
        "api_url",
        "cover",
        "article_count",
        "sections",
        "credits",
    }
    assert [(s["id"], s["name"]) for s in data["sections"]] == [
        (theory.pk, "理论研究"),
        (news.pk, "政协动态"),
    ]
    assert [[x["id"] for x in s["articles"]] for s in data["sections"]] == [[c.pk, b.pk], [a.pk]]
    assert data["sections"][0]["articles"][1] == {
        "id": b.pk,
        "title": "乙",
        "subtitle": "——副题",
        "authors": [
            {
                "name": "吴宁",
                "role": "记者",
                "kind": "person",
                "url": f"http://testserver/authors/{reporter.pk}/",
            },
            {
                "name": "政协西安市委员会",
                "role": "",
                "kind": "organisation",
                "url": f"http://testserver/authors/organisations/{city.pk}/",
            },
        ],
        "page": 5,
        "url": f"http://testserver/articles/{b.pk}/",
        "api_url": f"http://testserver/api/articles/{b.pk}/",
    }
    assert data["credits"] == {
        "editors": ["王编辑", "李编辑"],
        "proofreaders": ["赵核稿"],
        "approvers": [],
    }


def test_article_detail_exact_shape(client, publication):
    issue = published_issue(publication, year=2024, number=2, total_number=301)
    section = SectionFactory(name="他山之石")
    article = published_article(
        issue,
        section,
        kicker="引题不在 API 中",
        title="发挥专门委员会基础作用",
        subtitle="——某市政协的做法",
        body="<p>第一段。</p><h3>一、小标题</h3>",
        start_page=21,
        source="《人民政协报》",
        author_note="作者系某市政协主席",
    )
    person = PersonFactory(name="覃雪")
    AuthorshipFactory(article=article, person=person, role=Authorship.Role.CORRESPONDENT)

    data = get_json(client, f"/api/articles/{article.pk}/")

    assert data == {
        "id": article.pk,
        "url": f"http://testserver/articles/{article.pk}/",
        "issue": {
            "year": 2024,
            "number": 2,
            "total_number": 301,
            "title": "2024年第2期（总第301期）",
        },
        "section": {"id": section.pk, "name": "他山之石"},
        "title": "发挥专门委员会基础作用",
        "subtitle": "——某市政协的做法",
        "authors": [
            {
                "name": "覃雪",
                "role": "通讯员",
                "kind": "person",
                "url": f"http://testserver/authors/{person.pk}/",
            }
        ],
        "page": 21,
        "source": "《人民政协报》",
        "author_note": "作者系某市政协主席",
        "body_html": "<p>第一段。</p><h3>一、小标题</h3>",
        "published_at": "2024-03-01T10:00:00+08:00",
    }


def test_article_body_is_the_sanitized_html(client, publication):
    issue = published_issue(publication)
    article = published_article(
        issue,
        SectionFactory(),
        body='<p onclick="steal()">正文</p><script>alert("x")</script><p>完</p>',
    )

    body = get_json(client, f"/api/articles/{article.pk}/")["body_html"]

    assert "<script" not in body
    assert "alert" not in body
    assert "onclick" not in body
    assert "<p>正文</p>" in body and "<p>完</p>" in body


def test_sections_in_tree_order_with_published_counts(client, publication):
    local = SectionFactory(name="市县政协")
    city = SectionFactory(name="市级", parent=local)
    retired = SectionFactory(name="旧栏目", is_active=False)
    under_retired = SectionFactory(name="旧栏目下的子栏目", parent=retired)
    theory = SectionFactory(name="理论研究")
    issue = published_issue(publication)
    published_article(issue, local)
    published_article(issue, city)
    published_article(issue, city)
    published_article(issue, under_retired)
    ArticleFactory(issue=issue, section=local)  # draft article
    ArticleFactory(issue=IssueFactory(publication=publication), section=theory)  # draft issue
    other = PublicationFactory(slug="other", name="另一刊物")
    published_article(published_issue(other), theory)  # not the site's publication

    data = get_json(client, "/api/sections/")

    assert data == {
        "count": 3,
        "results": [
            {
                "id": local.pk,
                "name": "市县政协",
                "slug": local.slug,
                "parent": None,
                "level": 0,
                "url": f"http://testserver/sections/{local.slug}/",
                "article_count": 1,
            },
            {
                "id": city.pk,
                "name": "市级",
                "slug": city.slug,
                "parent": local.pk,
                "level": 1,
                "url": f"http://testserver/sections/{city.slug}/",
                "article_count": 2,
            },
            {
                "id": theory.pk,
                "name": "理论研究",
                "slug": theory.slug,
                "parent": None,
                "level": 0,
                "url": f"http://testserver/sections/{theory.slug}/",
                "article_count": 0,
            },
        ],
    }


def test_json_is_utf8_not_escaped(client, publication):
    published_article(published_issue(publication), SectionFactory(name="政协动态"))

    response = client.get("/api/sections/")

    assert "政协动态".encode() in response.content
    assert b"\\u" not in response.content


def test_success_is_cacheable_errors_are_not(client, publication):
    published_issue(publication, year=2024, number=1)

    ok = client.get("/api/issues/2024/1/")
    missing = client.get("/api/issues/2024/9/")

    # The site-wide browser lifetime (bulletin.pagecache), shorter than the API's own 300 s so
    # that a correction reaches API clients within a minute too.
    assert "public" in ok["Cache-Control"] and "max-age=60" in ok["Cache-Control"]
    assert missing.status_code == 404
    assert not missing.has_header("Cache-Control")


# --- the published-only rule ---------------------------------------------------------------------


@pytest.mark.parametrize("status", UNPUBLISHED_ISSUE_STATUSES)
def test_unpublished_issue_and_its_articles_are_invisible(any_client, publication, status):
    section = SectionFactory()
    visible = published_issue(publication, year=2024, number=1)
    published_article(visible, section)
    hidden = IssueFactory(publication=publication, year=2024, number=2, status=status)
    IssueSectionFactory(issue=hidden, section=section)
    # The article itself is marked published: its issue still hides it.
    hidden_article = published_article(hidden, section)
    AuthorshipFactory(article=hidden_article)

    issues = get_json(any_client, "/api/issues/")
    assert issues["count"] == 1
    assert [(i["year"], i["number"]) for i in issues["results"]] == [(2024, 1)]
    assert_error(any_client, "/api/issues/2024/2/", 404)
    assert_error(any_client, f"/api/articles/{hidden_article.pk}/", 404)
    assert get_json(any_client, "/api/sections/")["results"][0]["article_count"] == 1


@pytest.mark.parametrize("status", UNPUBLISHED_ARTICLE_STATUSES)
def test_unpublished_article_of_published_issue_is_invisible(any_client, publication, status):
    section, draft_only = SectionFactory(), SectionFactory()
    issue = published_issue(publication, year=2024, number=1)
    shown = published_article(issue, section)
    hidden = ArticleFactory(issue=issue, section=section, status=status)
    ArticleFactory(issue=issue, section=draft_only, status=status)

    assert get_json(any_client, "/api/issues/")["results"][0]["article_count"] == 1
    detail = get_json(any_client, "/api/issues/2024/1/")
    assert detail["article_count"] == 1
    assert [(s["id"], [a["id"] for a in s["articles"]]) for s in detail["sections"]] == [
        (section.pk, [shown.pk])
    ]
    assert_error(any_client, f"/api/articles/{hidden.pk}/", 404)
    counts = {
        s["id"]: s["article_count"] for s in get_json(any_client, "/api/sections/")["results"]
    }
    assert counts == {section.pk: 1, draft_only.pk: 0}


def test_other_publications_are_invisible(client, publication):
    section = SectionFactory()
    published_article(published_issue(publication, year=2024, number=1), section)
    other = PublicationFactory(slug="other", name="另一刊物")
    other_issue = published_issue(other, year=2024, number=5)
    other_article = published_article(other_issue, section)

    assert get_json(client, "/api/issues/")["count"] == 1
    assert_error(client, "/api/issues/2024/5/", 404)
    assert_error(client, f"/api/articles/{other_article.pk}/", 404)
    assert get_json(client, "/api/sections/")["results"][0]["article_count"] == 1


def test_unknown_ids_answer_json_404(client, publication):
    published_issue(publication, year=2024, number=1)

    assert_error(client, "/api/issues/2024/2/", 404)
    assert_error(client, "/api/issues/2023/1/", 404)
    assert_error(client, "/api/articles/424242/", 404)


# --- pagination ---------------------------------------------------------------------------------


def numbers(results):
    return [i["total_number"] for i in results]


def test_pages_and_links(client, publication):
    bulk_bulletin(publication, issues=25, sections=0)
    newest_first = list(range(25, 0, -1))

    first = get_json(client, "/api/issues/", page_size=10, lang="zh")
    assert (first["count"], first["page"], first["page_size"], first["num_pages"]) == (25, 1, 10, 3)
    assert first["previous"] is None
    assert numbers(first["results"]) == newest_first[:10]
    link = urlsplit(first["next"])
    assert link.scheme == "http" and link.netloc == "testserver" and link.path == "/api/issues/"
    assert parse_qs(link.query) == {"page": ["2"], "page_size": ["10"], "lang": ["zh"]}

    seen = numbers(first["results"])
    page = first
    while page["next"]:
        page = get_json(client, page["next"])
        seen += numbers(page["results"])
    assert seen == newest_first
    assert page["page"] == 3 and page["next"] is None
    assert parse_qs(urlsplit(page["previous"]).query) == {
        "page": ["2"],
        "page_size": ["10"],
        "lang": ["zh"],
    }


def test_default_page_size_is_20(client, publication):
    bulk_bulletin(publication, issues=21, sections=0)

    data = get_json(client, "/api/issues/")

    assert (data["page_size"], len(data["results"]), data["num_pages"]) == (20, 20, 2)
    assert parse_qs(urlsplit(data["next"]).query) == {"page": ["2"]}


@pytest.mark.parametrize("asked", ["100", "101", "5000"])
def test_page_size_is_at_most_100(client, publication, asked):
    bulk_bulletin(publication, issues=105, sections=0)

    data = get_json(client, "/api/issues/", page_size=asked)

    assert (data["page_size"], len(data["results"]), data["num_pages"]) == (100, 100, 2)
    assert parse_qs(urlsplit(data["next"]).query) == {"page": ["2"], "page_size": ["100"]}


@pytest.mark.parametrize("param", ["page", "page_size"])
@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "2e3", "１", " 1", "9" * 5000])
def test_bad_paging_parameters_answer_400(client, publication, param, value):
    published_issue(publication)

    message = assert_error(client, "/api/issues/", 400, **{param: value})

    assert param in message


def test_empty_parameters_count_as_absent(client, publication):
    published_issue(publication)

    data = get_json(client, "/api/issues/", page="", page_size="")

    assert (data["page"], data["page_size"], data["count"]) == (1, 20, 1)


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"page": "3"}, 25),
        ({"page": "2", "page_size": "25"}, 25),
        ({"page": "999999999999999999"}, 25),
        ({"page": "2"}, 0),
    ],
)
def test_page_out_of_range_answers_404(client, publication, params, count):
    bulk_bulletin(publication, issues=count, sections=0)

    assert_error(client, "/api/issues/", 404, **params)


def test_empty_list_has_one_empty_page(client, publication):
    IssueFactory(publication=publication)  # a draft only

    data = get_json(client, "/api/issues/")

    assert (data["count"], data["num_pages"], data["results"]) == (0, 1, [])


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/nothing/",
        "/api/issues/2024/",
        "/api/issues/2024/1/extra/",
        "/api/articles/abc/",
        "/api/articles/-1/",
        "/api/articles/99999999999999999999999/",
        "/api/issues/99999999999999999999/1/",
        "/api/sections/politics/",
    ],
)
def test_unknown_paths_answer_json_404(client, path):
    assert_error(client, path, 404)


def test_missing_trailing_slash_gets_a_hint(client):
    assert "/api/issues/" in assert_error(client, "/api/issues", 404)
    assert "trailing slash" not in assert_error(client, "/api/nothing", 404)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize(
    "path",
    ["/api/", "/api/issues/", "/api/issues/2024/1/", "/api/articles/{pk}/", "/api/sections/"],
)
def test_other_methods_answer_json_405(publication, method, path):
    article = published_article(published_issue(publication, year=2024, number=1), SectionFactory())
    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF token

    response = getattr(client, method)(path.format(pk=article.pk))

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["status"] == 405


def test_post_to_unknown_path_is_404():
    response = Client(enforce_csrf_checks=True).post("/api/nothing/")

    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_head_is_allowed(client, publication):
    published_issue(publication)

    assert client.head("/api/issues/").status_code == 200


# --- a fixed number of queries ------------------------------------------------------------------

QUERY_BOUNDS = {
    # current publication, count, page
    "issues": 3,
    # current publication, issue, articles, authorships (with people and organisations), credits
    "issue": 5,
    # current publication, article (with issue and section), authorships
    "article": 3,
    # current publication, sections with their counts
    "sections": 2,
}


def endpoint_url(endpoint, issue, article):
    return {
        "issues": "/api/issues/?page_size=100",
        "issue": f"/api/issues/{issue.year}/{issue.number}/",
        "article": f"/api/articles/{article.pk}/",
        "sections": "/api/sections/",
    }[endpoint]


@pytest.mark.parametrize("endpoint", sorted(QUERY_BOUNDS))
def test_queries_do_not_grow_with_the_data(
    client, publication, endpoint, django_assert_max_num_queries
):
    bound = QUERY_BOUNDS[endpoint]
    issues, articles, _ = bulk_bulletin(publication, issues=1, sections=1, per_section=1, authors=1)
    with CaptureQueriesContext(connection) as small:
        get_json(client, endpoint_url(endpoint, issues[0], articles[0]))

    # 30 more issues of 6 sections × 3 articles × 4 authors each; the newest is asked for.
    issues, articles, _ = bulk_bulletin(
        publication, issues=30, sections=6, per_section=3, authors=4, first_number=100
    )
    newest = max(issues, key=lambda i: (i.year, i.number))
    article = next(a for a in articles if a.issue_id == newest.pk)
    with django_assert_max_num_queries(bound) as large:
        data = get_json(client, endpoint_url(endpoint, newest, article))

    assert len(small) <= bound
    assert len(large) == len(small)
    # and the large answer really holds the large data
    if endpoint == "issues":
        assert data["count"] == 31 and data["results"][0]["article_count"] == 18
    elif endpoint == "issue":
        assert sum(len(s["articles"]) for s in data["sections"]) == 18
        assert all(len(a["authors"]) == 4 for s in data["sections"] for a in s["articles"])
        assert sum(map(len, data["credits"].values())) == 3
    elif endpoint == "article":
        assert len(data["authors"]) == 4
    else:
        assert data["count"] == 7
