"""Print PDFs made from an issue's print text, to test importing straight from the PDF.

seed_pdf(text, layout) sets the text as the printer would: the table of contents on the first
page, each article's title, subtitle and author line centred, paragraphs set in full with a
first-line indent and wrapped by the layout engine (not at the text's own line ends), the
running head (section marker and the latin head) at the top of later pages, the page number
at the foot, the colophon at the end. The running heads already in the text are dropped: the
layout puts its own where its pages break. Layouts differ in page size, margins, fonts,
line width and columns, so an extractor that passes on all of them does not depend on one.

image_only_pdf() is a scan: one page holding only a raster image.
"""

import html
import io
from pathlib import Path

import pytest

from articles.importers.print_text import parse_print_text

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEED = SEEDS / "000_1f77cc8d6c62dca6.txt"
SEED_EXPECTED = SEEDS / "000_1f77cc8d6c62dca6.expected.json"

LAYOUTS = {
    # A5 like the bulletin, serif body, one column
    "print": """
        @page { size: A5; margin: 18mm 16mm 16mm 16mm; }
        body { font-family: "Noto Serif CJK SC"; font-size: 10.5pt; line-height: 1.6; }
    """,
    # A4, sans, two columns, narrow gutters: lines about 22 characters wide
    "two-columns": """
        @page { size: A4; margin: 22mm 14mm 20mm 14mm; }
        body { font-family: "Noto Sans CJK SC"; font-size: 10pt; line-height: 1.5; }
        .flow { columns: 2; column-gap: 9mm; }
        .toc, .colophon { column-span: all; }  /* the colophon box runs across the page */
    """,
    # B5, large type, wide margins, loose leading
    "large": """
        @page { size: B5; margin: 25mm 30mm 25mm 24mm; }
        body { font-family: "Noto Sans CJK SC"; font-size: 12.5pt; line-height: 1.9; }
    """,
}

COMMON_CSS = """
    @page { @bottom-center { content: counter(page); font-size: 9pt; } }
    @page :right { @top-center { content: "※ " string(section) " ※\\A %(latin)s";
        white-space: pre; font-size: 9pt; } }
    @page :first { @top-center { content: none; } @bottom-center { content: none; } }
    p { margin: 0; text-align: justify; }
    .toc { break-after: page; }
    .toc h1 { text-align: center; font-size: 1.6em; margin: 0 0 1em; }
    .toc .section { text-align: center; font-weight: bold; margin: 0.8em 0 0.3em; }
    .toc .entry { margin: 0; }
    .title { text-align: center; font-size: 1.45em; font-weight: bold; margin: 1.2em 0 0.2em; }
    .subtitle { text-align: center; font-size: 1.05em; margin: 0 0 0.3em; }
    .author { text-align: center; margin: 0.3em 0 0.8em; }
    .heading { font-weight: bold; margin: 0.6em 0 0.2em; }
    .title, .subtitle, .author, .heading { break-after: avoid; }
    .paragraph { text-indent: 2em; }
    .note { text-indent: 2em; margin-bottom: 1em; }
    .colophon { border-top: 1px solid black; margin-top: 2em; padding-top: 0.5em; }
    .colophon p { text-indent: 0; }
"""


def require_seed() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed issue is not here: {SEED} (the shared folder beside the repository)")
    return SEED.read_text(encoding="utf-8")


def require_weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango missing
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
    return weasyprint


def seed_html(text: str, layout: str = "print") -> str:
    parsed = parse_print_text(text)
    lines = {number: line for number, line in enumerate(text.split("\n"), start=1)}
    roles = parsed.line_roles
    blocks = {}  # first line number -> (css class, the block's whole text)
    continued = set()  # later line numbers of a block: already set with its first line
    for article in parsed.articles:
        for block in article.blocks:
            kind = "heading" if block.kind == "h" else "paragraph"
            blocks[block.lines[0]] = (kind, block.text)
            continued.update(block.lines[1:])
    section_of_title = {}
    for article in parsed.articles:
        section_of_title[article.head_lines[0]] = article.section

    toc, flow, colophon = [], [], []
    for number in sorted(lines):
        raw = lines[number].strip().replace("\u3000", " ").strip()
        if not raw or number in continued:
            continue
        role = roles.get(number, "")
        esc = html.escape(raw)
        if role == "toc":
            if not toc:
                toc.append(f"<h1>{esc}</h1>")
            elif raw.startswith("※"):
                toc.append(f'<p class="section">{esc}</p>')
            else:
                toc.append(f'<p class="entry">{esc}</p>')
        elif role == "colophon":
            colophon.append(f"<p>{esc}</p>")
        elif role in ("running-head", "ignored"):
            continue
        elif number in blocks:
            kind, whole = blocks[number]
            flow.append(f'<p class="{kind}">{html.escape(whole)}</p>')
        elif role == "title" and number in section_of_title:
            section = html.escape(section_of_title[number])
            flow.append(
                f'<p class="title" style="string-set: section &quot;{section}&quot;">{esc}</p>'
            )
        elif role in ("title", "subtitle", "author", "note"):
            flow.append(f'<p class="{role}">{esc}</p>')
        else:
            flow.append(f'<p class="paragraph">{esc}</p>')
    css = COMMON_CSS.replace("%(latin)s", parsed.running_head or "") + LAYOUTS[layout]
    return (
        f"<!doctype html><html lang=zh-CN><head><meta charset=utf-8><style>{css}</style></head>"
        f'<body><div class="toc">{"".join(toc)}</div><div class="flow">{"".join(flow)}'
        f'<div class="colophon">{"".join(colophon)}</div></div></body></html>'
    )


def seed_pdf(text: str, layout: str = "print") -> bytes:
    weasyprint = require_weasyprint()
    return weasyprint.HTML(string=seed_html(text, layout)).write_pdf()


def image_only_pdf(pages: int = 1) -> bytes:
    """A scanned issue: pages that are pictures, with no text layer."""
    from PIL import Image, ImageDraw

    images = []
    for page in range(pages):
        image = Image.new("RGB", (620, 877), "white")
        draw = ImageDraw.Draw(image)
        for row in range(40):  # grey bars where the lines of type would be
            draw.rectangle((60, 80 + row * 18, 560 - (row * 37 + page) % 90, 90 + row * 18), "gray")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=72)
    return out.getvalue()
