"""Importing straight from the print PDF: articles.importers.pdf_text.extract_print_text.

The seed issue is set as PDFs in several layouts (tests/importers/pdf_samples.py); each must read
back, through the print-text parser, to the seed's expected structure with no miss. Scans,
encrypted, damaged and oversized files are refused with a message in Chinese.
"""

import io
import json

import pytest

from articles.importers import pdf_text
from articles.importers.errors import ImportFileError
from articles.importers.pdf_text import NO_TEXT_LAYER, extract_print_text
from articles.importers.print_text import parse_print_text
from tests.importers.pdf_samples import (
    LAYOUTS,
    SEED_EXPECTED,
    image_only_pdf,
    require_seed,
    seed_pdf,
)
from tests.importers.scoring import score


@pytest.fixture(scope="module")
def seed_text():
    return require_seed()


@pytest.fixture(scope="module")
def seed_pdfs(seed_text):
    return {layout: seed_pdf(seed_text, layout) for layout in LAYOUTS}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_seed_pdf_imports_like_the_seed_text(seed_pdfs, layout):
    text = extract_print_text(seed_pdfs[layout])
    parsed = parse_print_text(text)
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert score(parsed.to_json(issue={}), expected) == []
    assert [str(w) for w in parsed.warnings] == []


@pytest.mark.parametrize(
    "layout",
    ["large", "print", "two-columns"],
)
def test_every_article_comes_back_whole(seed_text, seed_pdfs, layout):
    """Heads, headings, notes and the body text in reading order, no character lost or added.
    (The seed's own paragraphs may be cut where its print broke pages; these PDFs break
    elsewhere, so the body is compared as one text.)"""
    source = parse_print_text(seed_text)
    got = parse_print_text(extract_print_text(seed_pdfs[layout]))

    def body(article):
        return "".join(b.text for b in article.blocks).replace(" ", "")

    for want, have in zip(source.articles, got.articles, strict=True):
        assert (have.title, have.subtitle, have.section) == (
            want.title,
            want.subtitle,
            want.section,
        )
        assert [(a.name, a.role) for a in have.authors] == [(a.name, a.role) for a in want.authors]
        assert body(have) == body(want)
        assert have.headings == want.headings
        assert (have.source, have.author_note, have.page) == (
            want.source,
            want.author_note,
            want.page,
        )
    # wrapped colophon lines come out joined: the same text, maybe fewer line ends
    assert got.colophon.distribution == source.colophon.distribution
    assert (got.colophon.editors, got.colophon.proofreaders, got.colophon.phone) == (
        source.colophon.editors,
        source.colophon.proofreaders,
        source.colophon.phone,
    )


def test_a_scan_is_refused_not_imported_empty():
    with pytest.raises(ImportFileError) as caught:
        extract_print_text(image_only_pdf(pages=2))
    assert caught.value.message == NO_TEXT_LAYER
    assert "没有文字层" in str(caught.value)


def test_not_a_pdf():
    with pytest.raises(ImportFileError, match="这不是 PDF 文件"):
        extract_print_text("目 录\n".encode())


def test_a_damaged_pdf(seed_pdfs):
    data = seed_pdfs["print"]
    with pytest.raises(ImportFileError, match="损坏或不完整"):
        extract_print_text(data[:2000])
    with pytest.raises(ImportFileError, match="损坏或不完整"):
        extract_print_text(b"%PDF-1.7\n" + b"\x00garbage" * 100)


def test_an_encrypted_pdf(seed_pdfs):
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(seed_pdfs["large"]))
    writer = pypdf.PdfWriter()
    for page in reader.pages[:3]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ImportFileError, match="密码"):
        extract_print_text(out.getvalue())


def test_too_large(monkeypatch, seed_pdfs):
    monkeypatch.setattr(pdf_text, "MAX_PDF_BYTES", 1000)
    with pytest.raises(ImportFileError, match="PDF 超过"):
        extract_print_text(seed_pdfs["print"])


# -- the project's own print PDF, read back -------------------------------------------------------


@pytest.mark.django_db
def test_round_trip_through_the_projects_own_print_pdf(seed_text):
    """Issue → issues.printing.issue_pdf → import → the same issue, field by field."""
    printing = pytest.importorskip("issues.printing")
    if not hasattr(printing, "issue_pdf"):
        pytest.skip("issues.printing.issue_pdf does not exist yet")
    from issues.importing import save_parsed_issue
    from tests.factories import PublicationFactory

    publication = PublicationFactory(phone="", email="", running_head="")
    original = save_parsed_issue(
        parsed=parse_print_text(seed_text), publication=publication, year=2024, number=2
    )
    try:
        data = printing.issue_pdf(original)
    except getattr(printing, "PdfUnavailable", RuntimeError) as exc:
        pytest.skip(f"the print PDF cannot be made here: {exc}")
    parsed = parse_print_text(extract_print_text(data))
    copy = save_parsed_issue(parsed=parsed, publication=publication, year=2024, number=3)

    def fields(issue):
        rows = []
        for article in issue.articles.order_by("start_page", "section__pk", "order"):
            authors = [
                (a.printed_name.replace(" ", ""), a.role)
                for a in article.authorships.order_by("order")
            ]
            rows.append(
                {
                    "title": article.title,
                    "subtitle": article.subtitle,
                    "section": article.section.name,
                    "authors": authors,
                    "source": article.source,
                    "author_note": article.author_note,
                    "body": article.body.replace(" ", ""),
                }
            )
        return rows

    assert fields(copy) == fields(original)
    assert copy.distribution_line == original.distribution_line
    credits = lambda issue: sorted(  # noqa: E731
        (c.role, c.person.name) for c in issue.credits.all()
    )
    assert credits(copy) == credits(original)
    # pages are the PDF's own page numbers: increasing, within the PDF
    pages = [a.start_page for a in copy.articles.order_by("start_page")]
    assert pages == sorted(pages) and all(p >= 1 for p in pages)
