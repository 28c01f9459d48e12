"""The readers' search page (/search/) and the search box in every page's header."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.search.analysis import refresh_names
from tests.factories import (
    AuthorshipFactory,
    OrganisationFactory,
    PersonFactory,
    SectionFactory,
)
from tests.hostile_input import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def get(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(page):
    return [
        html.unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(r'<h2 class="search-hit__title"><a [^>]*>(.*?)</a></h2>', page)
    ]


def count_line(page):
    match = re.search(r"共找到 <strong>(\d+)</strong> 篇", page)
    return int(match[1]) if match else None


def link(page, rel):
    match = re.search(rf'<a href="([^"]*)" rel="{rel}">', page)
    return parse_qs(urlsplit(html.unescape(match[1])).query) if match else None


# -- results -------------------------------------------------------------------------------------


def test_finds_published_articles_with_count_links_and_details(client, search_corpus):
    page = get(client, q="乡村振兴")

    assert sorted(result_titles(page)) == sorted(["乡村振兴调研报告", "民营经济座谈会召开"])
    assert count_line(page) == 2
    assert f'href="{search_corpus.rural.get_absolute_url()}"' in page
    assert f'href="{search_corpus.new.get_absolute_url()}"' in page
    assert "2024年第2期（总第301期）" in page
    assert "理论探讨" in page and "政协动态" in page
    assert "孙大伟" in page and "崇左市政协" in page
    assert '<time datetime="2024-02-28">2024年2月28日</time>' in page


def test_snippet_marks_every_match(client, search_corpus):
    page = get(client, q="乡村振兴")

    snippets = re.findall(r'<p class="search-hit__snippet">(.*?)</p>', page)
    assert len(snippets) == 2
    assert all("<mark>乡村振兴</mark>" in snippet for snippet in snippets)


def test_mixed_latin_and_chinese_queries_find_their_article(client, search_corpus):
    assert result_titles(get(client, q="5G基站")) == ["乡村振兴调研报告"]
    assert result_titles(get(client, q="GDP增长")) == ["乡村振兴调研报告"]


def test_every_word_of_a_multi_word_query_must_occur(client, search_corpus):
    assert sorted(result_titles(get(client, q="乡村振兴 民营经济"))) == [
        "乡村振兴调研报告",
        "民营经济座谈会召开",
    ]
    assert result_titles(get(client, q="乡村振兴 基站")) == ["乡村振兴调研报告"]
    page = get(client, q="乡村振兴 协商议事")
    assert result_titles(page) == []
    assert "没有找到包含“乡村振兴 协商议事”的文章" in page


def test_the_hint_under_the_box_says_all_words_are_required(client, search_corpus):
    page = get(client)

    assert 'aria-describedby="search-hint"' in page
    hint = re.search(r'<p class="search-form__hint" id="search-hint">(.*?)</p>', page)[1]
    assert "空格" in hint and "同时包含每个词" in hint


def test_unpublished_articles_never_appear(client, search_corpus):
    for query in ["秘密草稿", "未发布的乡村振兴稿件", "草稿期里", "沈内部"]:
        page = get(client, q=query)
        assert result_titles(page) == [], query
        assert "没有找到包含" in page
    page = get(client, q="乡村振兴")
    assert count_line(page) == 2
    for article in search_corpus.hidden:
        assert f'href="{article.get_absolute_url()}"' not in page


def test_empty_query_shows_the_form_and_an_explanation_only(client, search_corpus):
    for params in [{}, {"q": ""}, {"q": "   "}, {"section": search_corpus.news.slug}]:
        page = get(client, **params)
        assert 'role="search"' in page
        assert "查找本刊已发布的文章" in page
        assert "search-hit" not in page and "共找到" not in page and "没有找到" not in page


def test_punctuation_only_query_explains_itself(client, search_corpus):
    page = get(client, q="。，、！？")

    assert "搜索词中没有可以查找的文字或数字" in page
    assert "search-hit" not in page


def test_no_results_help_suggests_spelling_fewer_words_filters_and_the_archive(
    client, search_corpus
):
    page = get(client, q="量子纠缠", year="2023")

    assert "没有找到包含“量子纠缠”的文章" in page
    assert "错别字" in page
    assert "减少搜索词" in page
    assert "取消栏目、年份和作者筛选" in page
    assert f'href="{reverse("issues:archive")}"' in page
    removal = re.search(r'<a href="([^"]*)">取消栏目、年份和作者筛选</a>', page)[1]
    assert parse_qs(urlsplit(html.unescape(removal)).query) == {"q": ["量子纠缠"]}
    # without a filter there is nothing to remove
    assert "取消栏目、年份和作者筛选" not in get(client, q="量子纠缠")


# -- filters and sorting -------------------------------------------------------------------------


def test_section_filter_includes_subsections(client, search_corpus):
    assert result_titles(get(client, q="乡村振兴", section=search_corpus.theory.slug)) == [
        "乡村振兴调研报告"
    ]
    assert result_titles(get(client, q="乡村振兴", section=search_corpus.news.slug)) == [
        "民营经济座谈会召开"
    ]


def test_section_choices_are_active_sections_in_tree_order_indented(client, search_corpus):
    page = get(client)

    select = re.search(r'<select name="section" id="search-section">(.*?)</select>', page, re.S)[1]
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options[0] == ("", "全部栏目")
    assert ("li-lun-tan-tao", "\u3000理论探讨") in options
    names = [name for _, name in options[1:]]
    assert names.index("理论研究") + 1 == names.index("\u3000理论探讨")
    assert "停用栏目" not in page
    assert '<label for="search-section">栏目</label>' in page


def test_year_filter_and_its_choices(client, search_corpus):
    assert result_titles(get(client, q="乡村振兴", year="2023")) == ["民营经济座谈会召开"]
    assert result_titles(get(client, q="乡村振兴", year="2024")) == ["乡村振兴调研报告"]

    page = get(client, q="乡村振兴", year="2023")
    select = re.search(r'<select name="year" id="search-year">(.*?)</select>', page, re.S)[1]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    assert options == [
        ("", "", "全部年份"),
        ("2024", "", "2024年"),
        ("2023", " selected", "2023年"),
    ]


def test_author_filter_shows_a_removable_chip(client, search_corpus):
    page = get(client, q="乡村振兴", author=f"p{search_corpus.sun.pk}", sort="date")

    assert result_titles(page) == ["乡村振兴调研报告"]
    assert "作者：孙大伟" in page
    assert f'<input type="hidden" name="author" value="p{search_corpus.sun.pk}">' in page
    removal = re.search(r'<a class="filter-chip__remove" href="([^"]*)"', page)[1]
    assert parse_qs(urlsplit(html.unescape(removal)).query) == {"q": ["乡村振兴"], "sort": ["date"]}

    page = get(client, q="乡村振兴", author=f"o{search_corpus.city.pk}")
    assert result_titles(page) == ["民营经济座谈会召开"]
    assert "作者：崇左市政协" in page


@pytest.mark.parametrize("author", ["staff", "p999999", "o999999", "x1", "p0", "p", "p1; --"])
def test_an_unknown_author_is_ignored_with_a_notice_and_never_named(client, search_corpus, author):
    key = f"p{search_corpus.staff.pk}" if author == "staff" else author

    page = get(client, q="乡村振兴", author=key)

    assert count_line(page) == 2
    assert "没有找到该作者的已发布文章，已取消作者筛选" in page
    assert "filter-chip" not in page
    assert "沈内部" not in page


def test_bad_section_and_year_are_ignored_with_a_notice(client, search_corpus):
    page = get(client, q="乡村振兴", section="no-such-section", year="1999")

    assert count_line(page) == 2
    assert "没有找到所选栏目" in page
    assert "所选年份没有已发布的期刊" in page
    assert "aria-invalid" not in page


def test_an_inactive_section_is_not_a_filter(client, search_corpus):
    retired = SectionFactory(name="另一个停用栏目", is_active=False)

    page = get(client, q="乡村振兴", section=retired.slug)

    assert count_line(page) == 2
    assert "没有找到所选栏目" in page


def test_sort_by_date_puts_the_newer_issue_first(client, search_corpus):
    by_relevance = result_titles(get(client, q="协商议事"))
    by_date = result_titles(get(client, q="协商议事", sort="date"))

    assert by_relevance == ["协商议事的实践探索", "基层治理新路径"]  # the title match first
    assert by_date == ["基层治理新路径", "协商议事的实践探索"]  # 2024 before 2023


def test_sort_switch_links_keep_the_query_and_mark_the_current_order(client, search_corpus):
    page = get(client, q="协商议事", sort="date", year="2024")

    switch = re.search(r'<p class="sort-switch">(.*?)</p>', page)[1]
    links = re.findall(r'<a href="([^"]*)"( aria-current="true")?>([^<]*)</a>', switch)
    assert [(label, bool(current)) for _, current, label in links] == [
        ("相关度", False),
        ("日期", True),
    ]
    queries = [parse_qs(urlsplit(html.unescape(href)).query) for href, _, _ in links]
    assert queries == [
        {"q": ["协商议事"], "year": ["2024"]},
        {"q": ["协商议事"], "year": ["2024"], "sort": ["date"]},
    ]
    # an unknown order is the default one
    assert result_titles(get(client, q="协商议事", sort="nonsense")) == [
        "协商议事的实践探索",
        "基层治理新路径",
    ]


# -- pagination ----------------------------------------------------------------------------------


def test_results_are_paged_twenty_at_a_time_with_links_keeping_the_parameters(
    client, many_search_results
):
    params = {
        "q": "提案办理",
        "section": many_search_results.section.slug,
        "sort": "date",
        "year": "2024",
    }
    first = get(client, **params)

    assert count_line(first) == 25
    assert len(result_titles(first)) == 20
    assert "第 1 / 2 页" in first
    assert link(first, "prev") is None
    assert link(first, "next") == {key: [value] for key, value in {**params, "page": "2"}.items()}

    second = get(client, **params, page="2")
    assert len(result_titles(second)) == 5
    assert "第 2 / 2 页" in second
    assert link(second, "next") is None
    assert link(second, "prev") == {key: [value] for key, value in {**params, "page": "1"}.items()}
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    assert len(set(result_titles(first)) | set(result_titles(second))) == 25


@pytest.mark.parametrize("number", ["3", "99", "999999999999999999999999", str(10**6 + 1)])
def test_a_page_past_the_end_shows_the_last_page(client, many_search_results, number):
    page = get(client, q="提案办理", page=number)

    assert len(result_titles(page)) == 5
    assert "第 2 / 2 页" in page


@pytest.mark.parametrize("number", ["abc", "0", "-1", "1.5e3", "", "\x00"])
def test_a_bad_page_number_shows_the_first_page(client, many_search_results, number):
    page = get(client, q="提案办理", page=number)

    assert len(result_titles(page)) == 20
    assert "第 1 / 2 页" in page


def test_a_single_page_has_no_pager(client, search_corpus):
    assert "分页" not in get(client, q="乡村振兴")


def test_queries_do_not_grow_with_the_number_of_results(client, many_search_results, search_corpus):
    for article in many_search_results.articles[:20]:
        AuthorshipFactory(article=article, person=PersonFactory())
        AuthorshipFactory(article=article, person=None, organisation=OrganisationFactory())
    refresh_names(force=True)  # the once-a-minute look for new names is not per result
    many_queries = CaptureQueriesContext(connection)
    with many_queries:
        page = get(client, q="提案办理", section=many_search_results.section.slug, year="2024")
    assert len(result_titles(page)) == 20
    few_queries = CaptureQueriesContext(connection)
    with few_queries:
        page = get(client, q="协商议事", section=search_corpus.news.slug, year="2023")
    assert len(result_titles(page)) == 1

    assert len(many_queries) == len(few_queries)
    # 9: one of them reads the candidates' search text to verify the phrase (matching.py).
    assert len(many_queries) <= 9, [q["sql"] for q in many_queries.captured_queries]


# -- hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:30]))
def test_hostile_queries_answer_200(client, search_corpus, query):
    page = get(client, q=query)

    assert "<script>alert" not in page
    assert "\x00" not in page and "\x1b" not in page and "\u202e" not in page


@pytest.mark.parametrize(
    "params",
    [
        {"section": "'; DROP TABLE articles_section; --"},
        {"section": "x" * 10_000},
        {"section": "\x00"},
        {"year": "abc"},
        {"year": "99999999999999999999999999"},
        {"year": "-2024"},
        {"author": "p99999999999999999999999999"},
        {"author": "o-1"},
        {"author": "\x00"},
        {"sort": "'; --"},
        {"page": "abc"},
        {"page": "9" * 5000},
    ],
    ids=lambda p: repr(p)[:40],
)
def test_hostile_parameters_answer_200(client, search_corpus, params):
    page = get(client, q="乡村振兴", **params)

    assert count_line(page) == 2


def test_a_very_long_query_is_cut_with_a_notice(client, search_corpus):
    page = get(client, q="乡村振兴" + "x" * 10_000)

    assert "搜索词过长" in page
    assert len(page) < 40_000  # the box shows at most the 100 characters searched


def test_the_box_keeps_the_query_as_typed_but_escaped(client, search_corpus):
    page = get(client, q='乡村振兴 "<b>x</b>"')

    assert 'value="乡村振兴 &quot;&lt;b&gt;x&lt;/b&gt;&quot;"' in page


def test_results_still_render_when_the_index_is_broken(client, search_corpus, search_index):
    import shutil

    shutil.rmtree(search_index.path)
    search_index.path.write_text("not an index")
    search_index.reconnect()
    try:
        page = get(client, q="乡村振兴")
    finally:
        search_index.path.unlink()
        search_index.reconnect()

    assert count_line(page) == 2
    assert "<mark>乡村振兴</mark>" in page


# -- accessibility and the header box ------------------------------------------------------------


def test_search_form_is_a_labelled_search_landmark(client, search_corpus):
    page = get(client, q="乡村振兴")

    form = re.search(r'<form class="search-form"[^>]*>', page)[0]
    assert 'role="search"' in form and 'method="get"' in form
    assert '<label class="search-form__label" for="search-q">' in page
    assert re.search(r'<input type="search" name="q" id="search-q"', page)
    assert '<meta name="robots" content="noindex, follow">' in page
    assert "site-search" not in page  # the header box is left out where the page has its own


def header_box(page):
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no search box in the header"
    tag, inner = form[0], form[1]
    assert 'role="search"' in tag and f'action="{SEARCH}"' in tag and 'method="get"' in tag
    assert re.search(r'<label class="visually-hidden" for="site-search-q">', inner)
    assert re.search(r'<input type="search" name="q" id="site-search-q"', inner)
    assert re.search(r'<button type="submit">搜索</button>', inner)
    return True


def test_every_reader_page_has_the_header_search_box(client, search_corpus):
    pages = [
        reverse("bulletin:home"),
        reverse("issues:archive"),
        search_corpus.new.get_absolute_url(),
        search_corpus.rural.get_absolute_url(),
        reverse("articles:sections"),
        search_corpus.news.get_absolute_url(),
        reverse("articles:person", args=[search_corpus.sun.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert header_box(response.content.decode())
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert header_box(missing.content.decode())


def test_author_pages_link_to_a_search_of_their_articles(client, search_corpus):
    page = client.get(reverse("articles:person", args=[search_corpus.sun.pk])).content.decode()
    assert f'href="{SEARCH}?author=p{search_corpus.sun.pk}">搜索该作者的文章</a>' in page

    page = client.get(
        reverse("articles:organisation", args=[search_corpus.city.pk])
    ).content.decode()
    assert f'href="{SEARCH}?author=o{search_corpus.city.pk}">搜索该作者的文章</a>' in page

    landing = get(client, author=f"p{search_corpus.sun.pk}")
    assert "在孙大伟的文章中搜索" in landing
    assert "作者：孙大伟" in landing
