"""The pre-publication checker on the real seed issue: nothing on the clean import, every
planted fault (and nothing else) on a deliberately flawed copy, no false alarm on the usual
non-faults of Chinese print text."""

from pathlib import Path

import pytest
from django.urls import reverse

from articles.importers.print_text import parse_print_text
from articles.models import Article
from issues import checker
from issues.checker import ERROR, WARNING, check_issue
from issues.importing import save_parsed_issue
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    AuthorshipFactory,
    IssueFactory,
    IssueSectionFactory,
    PublicationFactory,
    SectionFactory,
)

SEED_NAME = "000_1f77cc8d6c62dca6.txt"
SEED_DIRS = [
    Path(__file__).resolve().parents[3] / "shared" / "seeds",  # ../shared/seeds from the repo
    Path("/work/shared/seeds"),
]
SEED = next((d / SEED_NAME for d in SEED_DIRS if (d / SEED_NAME).exists()), None)
needs_seed = pytest.mark.skipif(
    SEED is None,
    reason=f"seed issue {SEED_NAME} not found in ../shared/seeds or /work/shared/seeds",
)
RUNNING_HEAD = "GUANGXIZHENGXIEGONGZUO"
LONG_TITLE = (
    "关于进一步加强和改进新时代市县政协工作推动政协协商与基层协商有效衔接的调研报告和若干建议"
)


def import_seed(*, year=2024, number=2):
    """The real seed issue imported as the editors would, with its real running head."""
    publication = PublicationFactory(running_head=RUNNING_HEAD)
    parsed = parse_print_text(SEED.read_bytes())
    return save_parsed_issue(parsed=parsed, publication=publication, year=year, number=number)


def in_print_order(issue):
    return list(Article.objects.filter(issue=issue).in_print_order())


def found(issue):
    """(code, article title or None, field) of every problem."""
    return [(p.code, p.article.title if p.article else None, p.field) for p in check_issue(issue)]


def add_paragraphs(article, *paragraphs, at_end=True):
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    article.body = article.body + html if at_end else html + article.body
    article.save()


def plant_faults(issue):
    """One of every fault in the imported seed; return the expected (code, title, field)s."""
    a = in_print_order(issue)
    expected = []
    # A title longer than two lines (planted first: other findings name the article by it).
    a[9].title = LONG_TITLE
    a[9].save()
    expected.append(("title_too_long", LONG_TITLE, "标题"))
    # 他山之石 dropped from the section order: its three articles (last in print) are orphans.
    issue.section_entries.filter(section__name="他山之石").delete()
    expected += [("section_not_in_order", x.title, "栏目") for x in a[8:11]]
    # A start page equal to the previous article's, which runs over several pages.
    a[2].start_page = a[1].start_page
    a[2].save()
    expected.append(("start_page_duplicate", a[2].title, "起始页码"))
    # Two start pages swapped (end pages cleared, the database requires end >= start).
    a[5].start_page, a[6].start_page = a[6].start_page, a[5].start_page
    a[5].end_page = a[6].end_page = None
    a[5].save()
    a[6].save()
    expected.append(("start_page_order", a[6].title, "起始页码"))
    # An empty body.
    a[3].body = "<p> </p>"
    a[3].save()
    expected.append(("empty_body", a[3].title, "正文"))
    # An unclosed “ in the body and an unclosed 《 in the kicker.
    add_paragraphs(a[0], "孙大伟说：“要把好事办好、实事办实。", at_end=False)
    expected.append(("unbalanced", a[0].title, "正文"))
    a[1].kicker = "学习贯彻《政协章程"
    a[1].save()
    expected.append(("unbalanced", a[1].title, "引题"))
    # An ASCII comma between Chinese characters, and a doubled ，，.
    add_paragraphs(a[4], "会议强调,要持续推进协商议事。")
    expected.append(("ascii_punctuation", a[4].title, "正文"))
    add_paragraphs(a[7], "坚持问题导向，，推动工作落实。")
    expected.append(("doubled_punctuation", a[7].title, "正文"))
    # A running head and a lone page number left inside a body, as a careless import would.
    paragraphs = a[5].body.split("</p>", 3)
    a[5].body = "</p>".join(paragraphs[:3]) + f"</p><p>{RUNNING_HEAD}</p><p>15</p>" + paragraphs[3]
    a[5].save()
    expected += [("running_head", a[5].title, "正文"), ("page_number", a[5].title, "正文")]
    # An image without a caption.
    ArticleImageFactory(article=a[8], caption="")
    expected.append(("image_without_caption", a[8].title, "图片说明"))
    # A printed name that is not the person's.
    authorship = a[10].authorships.get()
    authorship.printed_name = "黄 雲"
    authorship.save()
    expected.append(("printed_name_mismatch", a[10].title, "印刷署名"))
    # A reprint without 来源: in 他山之石, and one whose last paragraph says 转自.
    a[8].source = ""
    a[8].save()
    expected.append(("reprint_without_source", a[8].title, "来源"))
    a[0].source = ""
    a[0].save()
    add_paragraphs(a[0], "（转自《广西日报》）")
    expected.append(("reprint_without_source", a[0].title, "正文"))
    return expected


@pytest.fixture
def seed_issue(db):
    if SEED is None:
        pytest.skip(f"seed issue {SEED_NAME} not found in ../shared/seeds or /work/shared/seeds")
    return import_seed()


@needs_seed
def test_the_clean_seed_issue_has_no_problem(seed_issue):
    # Read by hand: the seed's paired marks balance once page breaks are joined, its ASCII
    # marks are in numbers (53.8亿元) or the colophon, all reprints carry 来源, all bylines match
    # their people, the pages rise 1…38, and the import removed every running head.
    assert check_issue(seed_issue) == []


@needs_seed
def test_every_planted_fault_is_found_and_nothing_else(seed_issue):
    expected = plant_faults(seed_issue)

    assert sorted(found(seed_issue)) == sorted(expected)
    severities = {p.code: p.severity for p in check_issue(seed_issue)}
    assert {c for c, s in severities.items() if s == ERROR} == {
        "section_not_in_order",
        "start_page_duplicate",
        "start_page_order",
        "empty_body",
        "unbalanced",
        "running_head",
        "page_number",
    }


@needs_seed
def test_problems_point_at_the_fault_and_its_fix(seed_issue):
    plant_faults(seed_issue)
    problems = {p.code: p for p in check_issue(seed_issue)}

    comma = problems["ascii_punctuation"]
    assert (comma.before, comma.fault, comma.after) == ("会议强调", ",", "要持续推进协商议事。")
    assert comma.excerpt == "会议强调,要持续推进协商议事。"
    assert "，" in comma.message
    assert comma.fix_url == reverse("admin:articles_article_change", args=[comma.article.pk])
    unbalanced = {p.field: p for p in check_issue(seed_issue) if p.code == "unbalanced"}
    assert unbalanced["正文"].fault == "“"
    assert "缺少与之成对的“””" in unbalanced["正文"].message
    assert (unbalanced["引题"].before, unbalanced["引题"].fault) == ("学习贯彻", "《")
    assert problems["running_head"].fault == RUNNING_HEAD
    assert problems["page_number"].fault == "15"
    assert problems["doubled_punctuation"].fault == "，，"


@needs_seed
def test_usual_non_faults_are_not_reported(seed_issue):
    article = in_print_order(seed_issue)[6]
    add_paragraphs(
        article,
        "全年完成投资3.5亿元，会议于9:30开始，详见http://www.gxzx.gov.cn，欢迎访问。",
        "他说：“……”随后引用了《人民政协报》（2024年1月）的报道——“协商于决策之前”。",
        "1.加强学习；2.深入调研。People’s Daily报道了这一做法。",
        "“好！！”“真的吗？！”大家齐声说。",
        "（一）聚焦主业（二）服务大局",
    )
    article.subtitle = "——以天等县政协“乡村振兴 委员行动”为例"
    article.save()

    assert check_issue(seed_issue) == []


def test_an_issue_without_any_page_number_or_section_order_only_warns(db):
    issue = IssueFactory()
    ArticleFactory(issue=issue, start_page=None)
    ArticleFactory(issue=issue, start_page=None)

    problems = check_issue(issue)

    assert [(p.code, p.severity, p.article) for p in problems] == [
        ("no_page_numbers", WARNING, None),
        ("no_section_order", WARNING, None),
    ]
    assert problems[0].fix_url == reverse("admin:issues_issue_change", args=[issue.pk])


def test_a_missing_start_page_in_a_paginated_issue_is_an_error(db):
    issue = IssueFactory()
    section = SectionFactory()
    IssueSectionFactory(issue=issue, section=section)
    ArticleFactory(issue=issue, section=section, order=1, start_page=1)
    missing = ArticleFactory(issue=issue, section=section, order=2, start_page=None)

    assert found(issue) == [("start_page_missing", missing.title, "起始页码")]


def test_two_short_pieces_may_share_a_page(db):
    issue = IssueFactory()
    section = SectionFactory()
    IssueSectionFactory(issue=issue, section=section)
    ArticleFactory(issue=issue, section=section, order=1, start_page=3, end_page=3)
    ArticleFactory(issue=issue, section=section, order=2, start_page=3, end_page=4)

    assert check_issue(issue) == []


def test_title_length_limit(db):
    issue = IssueFactory()
    section = SectionFactory()
    IssueSectionFactory(issue=issue, section=section)
    limit = "政" * checker.TITLE_MAX_WIDTH
    ArticleFactory(issue=issue, section=section, order=1, title=limit)
    # Half-width characters count half: 40 CJK + "2024" is 42 wide.
    over = ArticleFactory(issue=issue, section=section, order=2, title=limit + "2024")

    assert found(issue) == [("title_too_long", over.title, "标题")]


def test_a_byline_missing_where_the_section_has_bylines(db):
    issue = IssueFactory()
    section = SectionFactory(name="理论研究")
    IssueSectionFactory(issue=issue, section=section)
    AuthorshipFactory(article=ArticleFactory(issue=issue, section=section, order=1))
    lost = ArticleFactory(issue=issue, section=section, order=2)
    # A news section without bylines is normal.
    news = SectionFactory(name="政协动态")
    IssueSectionFactory(issue=issue, section=news)
    ArticleFactory(issue=issue, section=news, order=1)
    ArticleFactory(issue=issue, section=news, order=2)

    assert found(issue) == [("byline_missing", lost.title, "署名")]


def test_the_running_head_is_found_whatever_its_spacing_and_case(db):
    issue = IssueFactory(publication=PublicationFactory(running_head=RUNNING_HEAD))
    section = SectionFactory()
    IssueSectionFactory(issue=issue, section=section)
    article = ArticleFactory(
        issue=issue,
        section=section,
        body="<p>正文。</p><p>Guangxi Zhengxie Gongzuo 12</p><p>※ 政协动态 ※</p><p>正文。</p>",
    )

    assert found(issue) == [
        ("running_head", article.title, "正文"),
        ("section_marker", article.title, "正文"),
    ]


def test_the_checker_page_groups_problems_by_article_and_highlights_them(seed_issue, editor_client):
    plant_faults(seed_issue)
    url = reverse("admin:issues_issue_check", args=[seed_issue.pk])

    page = editor_client.get(url).content.decode()

    assert "出版前检查" in page
    assert "会议强调<mark>,</mark>要持续推进协商议事。" in page
    assert page.count('class="module check-group"') == 11  # every article has a planted fault
    assert reverse("admin:articles_article_change", args=[in_print_order(seed_issue)[4].pk]) in page
    change_page = editor_client.get(reverse("admin:issues_issue_change", args=[seed_issue.pk]))
    assert url in change_page.content.decode()


def test_the_checker_page_of_a_clean_issue(seed_issue, editor_client):
    page = editor_client.get(reverse("admin:issues_issue_check", args=[seed_issue.pk]))

    assert "未发现问题" in page.content.decode()
