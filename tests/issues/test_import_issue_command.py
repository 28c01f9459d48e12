"""`manage.py import_issue`: the whole issue in one transaction, or nothing and a clear error."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Authorship, Section
from issues.models import Issue, IssueCredit
from people.models import Organisation, Person
from tests.articles.print_sample import SAMPLE
from tests.factories import IssueFactory, PublicationFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"


@pytest.fixture
def blank_publication():
    """A publication whose contacts and running head are empty: the import fills them in."""
    return PublicationFactory(phone="", email="", running_head="")


def write(tmp_path, content, name="issue.txt"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def run(*args, **options):
    call_command("import_issue", *args, **options)


def database_counts():
    return (
        Issue.objects.count(),
        Article.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        Section.objects.count(),
        Authorship.objects.count(),
    )


def test_imports_sample_as_draft_with_everything_linked(tmp_path, blank_publication):
    run(write(tmp_path, SAMPLE), year=2025, number=4, total=88)
    issue = Issue.objects.get(year=2025, number=4)
    assert issue.status == Issue.Status.DRAFT and issue.total_number == 88
    assert [s.section.name for s in issue.section_entries.all()] == ["要闻", "履职风采"]
    first, second, third = issue.articles.in_print_order()
    assert (first.title, first.subtitle, first.start_page, first.end_page) == (
        "市政协召开专题协商会", "共商城市更新大计", 1, 2,
    )  # fmt: skip
    assert "让群众生活更加便利舒心。" in first.body  # joined across the running head
    assert "SHILIZHENGXIEGONGZUO" not in first.body and "※" not in first.body
    assert first.source == "《示例日报》"
    authors = [
        (a.person.name, a.get_role_display(), a.printed_name) for a in second.authorships.all()
    ]
    assert authors == [("蓝天", "记者", "蓝 天"), ("韦晓东", "通讯员", "")]
    assert "<h3>一、聚焦急难愁盼</h3>" in second.body
    assert third.subtitle == "——某县政协推动“有事好商量”平台建设纪实"
    assert third.author_note == "作者单位：某县政协办公室"
    assert "<h3>搭建平台 畅通渠道</h3>" in third.body
    assert "做到有场地、有制度、有活动。" in third.body
    credits = [
        (c.get_role_display(), c.person.name) for c in issue.credits.order_by("role", "order")
    ]
    assert sorted(credits) == sorted([("编辑", "蓝天"), ("编辑", "韦晓东"), ("核稿", "覃明")])
    assert issue.distribution_line.startswith("市政协领导")
    blank_publication.refresh_from_db()
    assert (blank_publication.phone, blank_publication.email) == (
        "0000-1234567",
        "tougao@example.org",
    )


def test_people_sections_and_organisations_are_matched_not_duplicated(tmp_path, blank_publication):
    section = SectionFactory(name="要闻")
    Person.objects.create(name="覃明", position="县政协主席")
    path = write(tmp_path, SAMPLE)
    run(path, year=2025, number=4)
    assert Section.objects.filter(name="要闻").get() == section
    assert Person.objects.filter(name="覃明").count() == 1
    before = database_counts()
    run(path, year=2025, number=4, replace=True)
    assert database_counts() == before


def test_publish_makes_issue_and_articles_public(tmp_path, blank_publication):
    run(write(tmp_path, SAMPLE), year=2025, number=4, publish=True)
    assert Issue.objects.published().count() == 1
    assert Article.objects.published().count() == 3


def test_publish_is_refused_while_the_checker_finds_errors(tmp_path, blank_publication):
    # An opening quotation mark never closed: an error the pre-publication checker blocks.
    faulty = SAMPLE.replace("围绕城市更新工作建言献策", "围绕“城市更新工作建言献策", 1)
    assert faulty != SAMPLE

    with pytest.raises(CommandError, match="Not published, nothing was written: .*不能签发"):
        run(write(tmp_path, faulty), year=2025, number=4, publish=True)

    assert database_counts() == (0, 0, 0, 0, 0, 0)


def test_dry_run_writes_nothing(tmp_path, blank_publication, capsys):
    run(write(tmp_path, SAMPLE), year=2025, number=4, dry_run=True)
    assert database_counts() == (0, 0, 0, 0, 0, 0)
    assert "Dry run: nothing was written." in capsys.readouterr().out


def test_json_output_has_the_documented_shape(tmp_path, blank_publication, capsys):
    run(write(tmp_path, SAMPLE), year=2025, number=4, total=88, dry_run=True, json=True)
    data = json.loads(capsys.readouterr().out)
    assert data["issue"] == {"year": 2025, "number": 4, "total_number": 88, "status": "draft"}
    assert data["sections"] == ["要闻", "履职风采"]
    article = data["articles"][1]
    assert set(article) >= {
        "section", "page", "title", "subtitle", "authors", "source", "author_note",
        "body_html", "headings",
    }  # fmt: skip
    assert article["authors"] == [
        {"name": "蓝天", "role": "记者", "kind": "person"},
        {"name": "韦晓东", "role": "通讯员", "kind": "person"},
    ]
    assert data["colophon"]["distribution"] == ["市政协领导", "各专门委员会", "各县（市、区）政协"]
    assert data["publication"] == {
        "phone": "0000-1234567",
        "email": "tougao@example.org",
        "running_head": "SHILIZHENGXIEGONGZUO",
    }


def test_refuses_to_overwrite_an_existing_issue(tmp_path, blank_publication):
    IssueFactory(publication=blank_publication, year=2025, number=4)
    with pytest.raises(CommandError, match="already exists.*--replace"):
        run(write(tmp_path, SAMPLE), year=2025, number=4)
    assert Article.objects.count() == 0


def test_replace_swaps_content(tmp_path, blank_publication):
    old = IssueFactory(publication=blank_publication, year=2025, number=4)
    Article.objects.create(issue=old, section=SectionFactory(), title="旧稿")
    run(write(tmp_path, SAMPLE), year=2025, number=4, replace=True)
    assert list(Article.objects.values_list("title", flat=True).order_by("start_page")) == [
        "市政协召开专题协商会",
        "委员走进社区听民声",
        "让协商成果落地生根",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"], ids=lambda e: e)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_encodings_and_line_ends_give_the_same_issue(
    tmp_path, blank_publication, encoding, newline
):
    content = SAMPLE.replace("\n", newline).encode(encoding)
    run(write(tmp_path, content), year=2025, number=4)
    article = Article.objects.get(title="委员走进社区听民声")
    assert "<h3>二、推动问题解决</h3>" in article.body
    assert article.authorships.count() == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "文件是空的"),
        (b"   \n\n  ", "文件是空的"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "PDF 文件已损坏或不完整"),
        ("第一行\n第二行".encode() + b"\n\x80\x80\n", "第3行：无法识别文件编码"),
        ("一期刊物的正文，但是没有目录。\n".encode(), "没有找到目录"),
        ("目 录\n\n※ 要闻 ※\n\n这一行不是条目\n".encode(), "目录中没有找到文章条目"),
        (SAMPLE.split("市政协召开专题协商会\n\n共商")[0].encode(), "第15行：目录之后没有正文"),
        (
            SAMPLE.split("让协商成果落地生根\n\n——某县")[0].encode(),
            "第15行：目录中的《让协商成果落地生根",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "binary",
        "undecodable",
        "no-toc",
        "toc-without-entries",
        "toc-no-body",
        "truncated",
    ],
)
def test_bad_input_fails_clearly_and_writes_nothing(tmp_path, blank_publication, content, expected):
    with pytest.raises(CommandError) as error:
        run(write(tmp_path, content), year=2025, number=4)
    assert expected in str(error.value)
    assert database_counts() == (0, 0, 0, 0, 0, 0)


def test_missing_file_and_missing_publication(tmp_path, db):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.txt"), year=2025, number=4)
    with pytest.raises(CommandError, match="No publication exists"):
        run(write(tmp_path, SAMPLE), year=2025, number=4)


def test_a_failure_while_saving_leaves_nothing(tmp_path, blank_publication, monkeypatch):
    """One transaction: an error on the last article undoes the issue and everything before."""
    from issues import importing

    original = importing.Authorship.objects.create
    calls = {"n": 0}

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise importing.ImportFileError("模拟的保存失败")
        return original(**kwargs)

    monkeypatch.setattr(importing.Authorship.objects, "create", failing_create)
    with pytest.raises(CommandError, match="模拟的保存失败"):
        run(write(tmp_path, SAMPLE), year=2025, number=4)
    assert database_counts() == (0, 0, 0, 0, 0, 0)
    assert IssueCredit.objects.count() == 0


def test_doubtful_text_imports_with_warnings(tmp_path, blank_publication, capsys):
    text = SAMPLE.replace("(3)", "(9)")  # page out of order
    text = text.replace("（来源：《示例日报》）\n", "")  # an article without an end note
    extra = "\n".join(
        [
            "",
            "目录里没有的一篇短讯",
            "",
            "市政协机关开展读书活动，干部职工踊跃参加。",
            "",
            "（来源：《示例政协报》）",
            "",
        ]
    )
    text = text.replace("（来源：《示例政协报》）\n", "（来源：《示例政协报》）\n" + extra, 1)
    run(write(tmp_path, text), year=2025, number=4)
    out = capsys.readouterr().out
    assert "目录页码不是递增的" in out
    assert "《市政协召开专题协商会》文末没有来源或作者单位注释" in out
    assert "《目录里没有的一篇短讯》不在目录中" in out
    orphan = Article.objects.get(title="目录里没有的一篇短讯")
    assert orphan.section.name == "要闻" and orphan.source == "《示例政协报》"
    assert Article.objects.count() == 4


@pytest.mark.skipif(not SEED.exists(), reason=f"seed issue not found at {SEED} (../shared/seeds)")
def test_seed_imports_into_the_database(blank_publication):
    run(str(SEED), year=2024, number=2, total=301)
    issue = Issue.objects.get(year=2024, number=2)
    assert issue.articles.count() == 11
    assert [s.section.name for s in issue.section_entries.all()] == [
        "政协动态", "市县政协", "理论研究", "他山之石",
    ]  # fmt: skip
    corporate = Authorship.objects.get(organisation__isnull=False)
    assert corporate.organisation.name == "政协西安市委员会"
    assert Person.objects.filter(name="吴宁").count() == 1
    assert sorted(issue.credits.values_list("role", flat=True)) == ["editor"] * 4 + ["proofreader"]


def test_a_print_pdf_is_imported_and_kept_as_the_issue_pdf(tmp_path, blank_publication):
    from tests.importers.pdf_samples import require_seed, seed_pdf

    data = seed_pdf(require_seed(), "large")
    path = tmp_path / "whole-issue.bin"  # detected by content, not by name
    path.write_bytes(data)
    call_command("import_issue", str(path), "--year", "2024", "--number", "2")
    issue = Issue.objects.get(year=2024, number=2)
    assert issue.articles.count() == 11
    with issue.pdf.open("rb") as stored:
        assert stored.read() == data


def test_a_scanned_pdf_fails_clearly(tmp_path, blank_publication):
    from tests.importers.pdf_samples import image_only_pdf

    path = tmp_path / "scan.pdf"
    path.write_bytes(image_only_pdf())
    with pytest.raises(CommandError, match="没有文字层"):
        call_command("import_issue", str(path), "--year", "2024", "--number", "2")
    assert not Issue.objects.exists()
