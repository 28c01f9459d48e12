"""The generated print PDF (issues/printing.py): the seed issue laid out by WeasyPrint, read back
with pypdf; the issue_pdf command; the admin's 生成 PDF; the PDF stored when an issue is
published."""

import builtins
import io
import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from articles.importers.print_text import parse_print_text
from articles.models import Article
from issues import printing, services
from issues.importing import save_parsed_issue
from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    ArticleImageFactory,
    IssueFactory,
    IssueSectionFactory,
    PublicationFactory,
    SectionFactory,
    UserFactory,
)

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_1f77cc8d6c62dca6.txt"
needs_seed = pytest.mark.skipif(
    not SEED.exists(), reason=f"seed issue not found at {SEED} (../shared/seeds)"
)


def import_seed():
    """The real seed issue as a draft 2024年第2期（总第301期）, contacts filled from its colophon."""
    publication = PublicationFactory(name="广西政协工作", phone="", email="", running_head="")
    return save_parsed_issue(
        parsed=parse_print_text(SEED.read_bytes()),
        publication=publication,
        year=2024,
        number=2,
        total_number=301,
    )


def squash(text):
    """Page text without whitespace: titles wrap across lines and pypdf spaces CJK freely."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed issue's PDF, made once for the module (inside a transaction rolled back)."""
    if not SEED.exists():
        pytest.skip(f"seed issue not found at {SEED} (../shared/seeds)")
    with django_db_blocker.unblock(), transaction.atomic():
        issue = import_seed()
        articles = list(
            Article.objects.filter(issue=issue).select_related("section").in_print_order()
        )
        pdf = printing.issue_pdf(issue)
        transaction.set_rollback(True)
    reader = PdfReader(io.BytesIO(pdf))
    return SimpleNamespace(
        pdf=pdf,
        reader=reader,
        titles=[a.title for a in articles],
        sections=list(dict.fromkeys(a.section.name for a in articles)),
        pages=[squash(page.extract_text()) for page in reader.pages],
    )


def outline(reader):
    """[(section title, page, [(article title, page)])] from the PDF's bookmarks."""
    result = []
    for item in reader.outline:
        if isinstance(item, list):
            children = [(c.title, reader.get_destination_page_number(c) + 1) for c in item]
            result[-1] = (*result[-1][:2], children)
        else:
            result.append((item.title, reader.get_destination_page_number(item) + 1, []))
    return result


@needs_seed
def test_the_pdf_opens_and_every_page_is_a4(seed):
    assert seed.pdf.startswith(b"%PDF-")
    assert len(seed.reader.pages) > 12
    for page in seed.reader.pages:
        assert round(float(page.mediabox.width)) == 595  # 210 mm
        assert round(float(page.mediabox.height)) == 842  # 297 mm


@needs_seed
def test_bookmarks_are_sections_then_their_articles(seed):
    tree = outline(seed.reader)
    assert [section for section, _, _ in tree] == seed.sections
    articles = [title for _, _, children in tree for title, _ in children]
    assert articles == seed.titles  # one bookmark per article, in print order
    for _, section_page, children in tree:
        assert section_page == children[0][1]  # a section starts with its first article


@needs_seed
def test_text_is_extractable_chinese_and_every_title_is_found(seed):
    text = "".join(seed.pages)
    for title in seed.titles:
        assert squash(title) in text
    assert "（来源：《广西日报》）" in text
    assert "发：自治区政协主席" in text
    assert "投稿邮箱：gxzxgz@163.com" in text


@needs_seed
def test_toc_page_numbers_are_the_pages_where_articles_start(seed):
    toc = seed.pages[1]
    assert toc.startswith("目录")
    printed = [int(n) for n in re.findall(r"（(\d+)）", toc)]
    starts = [page for _, _, children in outline(seed.reader) for _, page in children]
    assert printed == starts
    for title, page in zip(seed.titles, starts, strict=True):
        # The article's heading is on that page, and it is the first article there.
        assert squash(title) in seed.pages[page - 1]


@needs_seed
def test_running_heads_alternate_between_the_publication_and_the_section(seed):
    tree = outline(seed.reader)
    first_article_page = tree[0][1]
    for number in range(first_article_page, len(seed.pages) + 1):
        text = seed.pages[number - 1]
        if number % 2 == 0:  # left page
            assert "GUANGXIZHENGXIEGONGZUO" in text, number
        else:
            section = next(s for s, page, _ in reversed(tree) if page <= number)
            assert f"※{section}※" in text, number
    assert "GUANGXIZHENGXIEGONGZUO" not in seed.pages[1]  # the 目录 has no running head


@needs_seed
def test_every_font_is_embedded(seed):
    fonts = 0
    for page in seed.reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            if descendants:
                font = descendants[0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            fonts += 1
    assert fonts
    names = {
        str(f.get_object()["/BaseFont"])
        for p in seed.reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert any("Noto-Serif-CJK-SC" in name for name in names)


# A small issue for what needs no seed: images, the command, the admin, publishing.


@pytest.fixture
def small_issue(db):
    PublicationFactory(name="广西政协工作", running_head="GUANGXIZHENGXIEGONGZUO")
    issue = IssueFactory(year=2025, number=3, total_number=320, status=Issue.Status.APPROVED)
    section = SectionFactory(name="政协动态")
    IssueSectionFactory(issue=issue, section=section, order=1)
    article = ArticleFactory(
        issue=issue,
        section=section,
        title="自治区政协召开专题协商会",
        status=Issue.Status.APPROVED,
        body="<p>会议指出，要扎实推进各项工作。</p><h3>一、提高站位</h3><p>统一思想。</p>",
    )
    ArticleImageFactory(article=article, caption="协商会现场")
    return issue


def test_images_are_taken_from_the_media_folder(small_issue):
    reader = PdfReader(io.BytesIO(printing.issue_pdf(small_issue)))
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 1  # the article's one image (pypdf may list it once per use)
    assert "协商会现场" in "".join(page.extract_text() for page in reader.pages)


def test_only_static_and_media_files_are_fetched(settings, tmp_path):
    origin = printing.DOCUMENT_ORIGIN
    assert printing.local_path(f"{origin}/static/css/print_issue.css").name == "print_issue.css"
    assert printing.local_path("https://example.org/static/css/print_issue.css") is None
    assert printing.local_path("file:///etc/passwd") is None
    assert printing.local_path(f"{origin}/media/../../../etc/passwd") is None
    assert printing.local_path(f"{origin}/admin/") is None


def test_missing_system_libraries_give_a_clear_error(monkeypatch):
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    with pytest.raises(printing.PdfUnavailable, match="apt-get install libpango-1.0-0"):
        printing.issue_pdf(SimpleNamespace())


def test_command_writes_the_pdf(small_issue, tmp_path):
    target = tmp_path / "out.pdf"
    out = io.StringIO()
    call_command("issue_pdf", "2025-3", "-o", str(target), stdout=out)
    assert PdfReader(target).outline[0].title == "政协动态"
    assert "Wrote" in out.getvalue()


@pytest.mark.parametrize(
    ("key", "message"),
    [("2025-9", "No issue 2025-9 of 广西政协工作 exists."), ("2025/3", "YEAR-NUMBER")],
)
def test_command_refuses_a_missing_issue_or_a_bad_key(small_issue, tmp_path, key, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("issue_pdf", key, "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_command_exits_non_zero_from_the_shell(db, tmp_path):
    import subprocess
    import sys

    manage = Path(__file__).resolve().parents[2] / "manage.py"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, str(manage), "issue_pdf", "nonsense"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0
    assert "YEAR-NUMBER" in result.stderr


def test_admin_button_downloads_the_pdf(small_issue, editor_client):
    response = editor_client.get(reverse("admin:issues_issue_pdf", args=[small_issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")


def test_admin_button_needs_the_view_permission(small_issue, client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:issues_issue_pdf", args=[small_issue.pk]))
    assert response.status_code == 403


def test_admin_button_explains_missing_libraries_in_chinese(
    small_issue, editor_client, monkeypatch
):
    def unavailable(issue):
        raise printing.PdfUnavailable(printing.SYSTEM_LIBRARIES_HINT)

    monkeypatch.setattr(printing, "issue_pdf", unavailable)
    url = reverse("admin:issues_issue_pdf", args=[small_issue.pk])
    response = editor_client.get(url, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/admin/issues/issue/{small_issue.pk}/change/")
    assert "无法生成 PDF：服务器缺少排版所需的系统组件" in response.content.decode()


def test_admin_change_page_links_the_proof_and_the_pdf(small_issue, editor_client):
    page = editor_client.get(reverse("admin:issues_issue_change", args=[small_issue.pk]))
    html = page.content.decode()
    assert f'href="{reverse("issues:proof", args=[2025, 3])}"' in html and "整期校样" in html
    assert f'href="{reverse("admin:issues_issue_pdf", args=[small_issue.pk])}"' in html


def test_publishing_stores_a_generated_pdf(small_issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=small_issue)
    small_issue.refresh_from_db()
    assert small_issue.status == Issue.Status.PUBLISHED
    assert small_issue.pdf.name.endswith(".pdf")
    assert PdfReader(small_issue.pdf.path).outline[1][0].title == "自治区政协召开专题协商会"


def test_publishing_keeps_an_uploaded_pdf(small_issue, django_capture_on_commit_callbacks):
    small_issue.pdf.save("uploaded.pdf", ContentFile(b"%PDF-1.4 uploaded"), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=small_issue)
    small_issue.refresh_from_db()
    assert small_issue.pdf.read() == b"%PDF-1.4 uploaded"


def test_a_failing_generation_never_fails_the_publish(
    small_issue, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(issue):
        raise ValueError("layout exploded")

    monkeypatch.setattr(printing, "issue_pdf", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=small_issue)
    small_issue.refresh_from_db()
    assert small_issue.status == Issue.Status.PUBLISHED and not small_issue.pdf
    assert "Generating the PDF of published issue" in caplog.text
