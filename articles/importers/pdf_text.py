"""The text of an issue's print PDF, in the shape ``print_text.parse_print_text`` reads.

pdfminer.six gives each glyph with its position; the lines are rebuilt here from those
positions because reading order and paragraphs depend on the page's geometry:

- glyphs sharing a baseline make a row, cut into segments where a gap wider than a gutter opens;
- columns are found per page by where no segment crosses (a gutter), with full-width rows such
  as titles and running heads separating column runs; a page is read column by column;
- a row that fills its column to the right edge is joined with the next one when that one starts
  at the left edge in the same type size (a wrapped line, not a new indented paragraph), so each
  paragraph, heading or note comes out as one line, as in text exported from the print;
- the page number is moved to the top of its page with the running head, so that it marks the
  page break and never trails into the colophon on the last page.

Nothing here knows one issue's words: only sizes and positions.
"""

import io
import re
from dataclasses import dataclass, field
from statistics import median

from .errors import ImportFileError

MAX_PDF_BYTES = 100 * 1024 * 1024
MAX_PAGES = 500
MIN_TEXT_CHARS = 50  # fewer than this in the whole file: no text layer worth the name

NO_TEXT_LAYER = (
    "这个 PDF 没有文字层（可能是扫描件），无法导入文字；请使用印刷厂提供的原始 PDF，"
    "或导出文本后导入。"
)
FOLIO = re.compile(r"^(?:[-—·]?\s*\d{1,3}\s*[-—·]?|第\s*\d{1,3}\s*页)$")
PAGE_REFERENCE_END = re.compile(r"[(（]\s*\d{1,4}\s*[)）]$")
SUBTITLE_START = ("——", "—")
PARAGRAPH_END = tuple("。！？”’）)…：；》】!?.\"'")


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file (by content, not by name)."""
    return data[:1024].lstrip().startswith(b"%PDF-")


def extract_print_text(data: bytes) -> str:
    """The print text of a PDF: one line per printed paragraph, heading, title or furniture line.

    Raises ImportFileError (in Chinese) for files that are not PDFs, too large, encrypted,
    damaged, or without a text layer (scans).
    """
    if not data or not is_pdf(data):
        raise ImportFileError("这不是 PDF 文件（文件开头没有 %PDF- 标记），请选择印刷版的 PDF。")
    if len(data) > MAX_PDF_BYTES:
        raise ImportFileError(
            f"PDF 超过 {MAX_PDF_BYTES // (1024 * 1024)} MB，无法在导入时读取文字；"
            "请导出文本后导入。"
        )
    pages = _pages(data)
    chars = sum(len(row.text.strip()) for page in pages for row in page)
    if chars < MIN_TEXT_CHARS:
        raise ImportFileError(NO_TEXT_LAYER)
    unmapped = sum(
        row.text.count("(cid:") for page in pages for row in page
    )  # glyphs without a Unicode mapping
    if unmapped * 6 > chars / 2:
        raise ImportFileError(
            "这个 PDF 的字体没有文字编码信息，提取出来的是乱码，无法导入文字；"
            "请使用印刷厂提供的原始 PDF，或导出文本后导入。"
        )
    body_size = median(row.size for page in pages for row in page)
    return "\n".join(_joined([_page_runs(page) for page in pages], body_size)).strip() + "\n"


# -- reading the PDF -----------------------------------------------------------------------------


@dataclass
class _Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    font: str


@dataclass
class _Row:
    """Glyphs on one baseline without a wide gap: a printed line, or one column's part of it."""

    glyphs: list = field(default_factory=list)

    @property
    def x0(self):
        return self.glyphs[0].x0

    @property
    def x1(self):
        return self.glyphs[-1].x1

    @property
    def top(self):
        return max(g.y1 for g in self.glyphs)

    @property
    def bottom(self):
        return min(g.y0 for g in self.glyphs)

    @property
    def size(self):
        return median(g.size for g in self.glyphs if g.text.strip()) if self.text.strip() else 0

    @property
    def font(self):
        fonts = [g.font for g in self.glyphs if g.text.strip() and not g.text.isascii()]
        fonts = fonts or [g.font for g in self.glyphs]
        return max(set(fonts), key=fonts.count)

    @property
    def text(self):
        parts, previous = [], None
        for glyph in self.glyphs:
            if previous is not None and glyph.text != " " and previous.text != " ":
                if glyph.x0 - previous.x1 > 0.3 * max(glyph.size, previous.size):
                    parts.append(" ")  # a space the PDF draws as a gap
            parts.append(glyph.text)
            previous = glyph
        return re.sub(r"\s+", " ", "".join(parts)).strip()


def _pages(data: bytes) -> list[list[_Row]]:
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
        if not document.is_extractable:
            pass  # print permissions only: the text may still be read for our own archive
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ImportFileError(
            "这个 PDF 设有打开密码（已加密），无法读取文字；请使用未加密的 PDF，或导出文本后导入。"
        ) from exc
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise _damaged() from exc

    def glyphs(item):
        if isinstance(item, LTChar):
            yield _Glyph(
                item.get_text(), item.x0, item.x1, item.y0, item.y1, item.size, item.fontname
            )
        elif isinstance(item, LTContainer):
            for child in item:
                yield from glyphs(child)

    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > MAX_PAGES:
                raise ImportFileError(f"PDF 超过 {MAX_PAGES} 页，不像是一期刊物。")
            interpreter.process_page(page)
            pages.append(_rows(list(glyphs(device.get_result()))))
    except ImportFileError:
        raise
    except Exception as exc:
        raise _damaged() from exc
    if not pages:
        raise _damaged()
    return pages


def _damaged():
    return ImportFileError("PDF 文件已损坏或不完整，无法读取；请重新导出或向印刷厂索取原始 PDF。")


def _rows(glyphs: list[_Glyph]) -> list[_Row]:
    """Group glyphs into rows by vertical overlap, then cut rows at wide gaps."""
    glyphs = [g for g in glyphs if g.text and g.x1 > g.x0 - 0.01]
    glyphs.sort(key=lambda g: (-(g.y0 + g.y1) / 2, g.x0))
    lines = []  # [(centre, height, glyphs)]
    for glyph in glyphs:
        centre, height = (glyph.y0 + glyph.y1) / 2, glyph.y1 - glyph.y0
        for line in reversed(lines[-6:]):  # rows of other columns may sit close by
            if abs(line[0] - centre) < 0.35 * max(line[1], height):
                line[2].append(glyph)
                break
        else:
            lines.append([centre, height, [glyph]])
    rows = []
    for _, _, members in lines:
        members.sort(key=lambda g: g.x0)
        row = _Row()
        for glyph in members:
            if row.glyphs and glyph.x0 - row.glyphs[-1].x1 > 1.5 * max(glyph.size, 1):
                rows.append(row)
                row = _Row()
            row.glyphs.append(glyph)
        rows.append(row)
    return [row for row in rows if row.text]


# -- one page ------------------------------------------------------------------------------------


def _page_runs(rows: list[_Row]) -> list[list[_Row]]:
    """The page's rows in reading order (runs of one column each), without its page number."""
    if not rows:
        return []
    rows = sorted(rows, key=lambda r: -r.top)
    # The page number at the head or foot of the page is left out: in the table of contents
    # or the colophon it would read as part of an entry; running heads mark page breaks.
    folios = [row for row in {id(rows[0]): rows[0], id(rows[-1]): rows[-1]}.values()]
    body = [row for row in rows if not (FOLIO.match(row.text) and row in folios)]
    return _reading_order(body)


def _reading_order(rows: list[_Row]) -> list[list[_Row]]:
    """Rows in reading order, as runs: each run is one column's rows, top to bottom."""
    if not rows:
        return []
    gutters = _gutters(rows)
    if not gutters:
        return [sorted(rows, key=lambda r: -r.top)]
    runs, band = [], []

    def flush():
        for low, high in _columns(gutters, rows):
            column = [r for r in band if low <= (r.x0 + r.x1) / 2 < high]
            if column:
                runs.append(sorted(column, key=lambda r: -r.top))
        band.clear()

    for row in sorted(rows, key=lambda r: -r.top):
        if any(row.x0 < g0 and row.x1 > g1 for g0, g1 in gutters):  # spans the columns
            flush()
            runs.append([row])
        else:
            band.append(row)
    flush()
    return runs


def _columns(gutters, rows):
    edges = [min(r.x0 for r in rows) - 1] + [g for pair in gutters for g in pair]
    edges.append(max(r.x1 for r in rows) + 1)
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def _gutters(rows: list[_Row]) -> list[tuple[float, float]]:
    """Vertical strips inside the text area that (almost) no row crosses, with columns of
    several rows on both sides, each a fair share of the width: a multi-column page."""
    if len(rows) < 6:
        return []
    left, right = min(r.x0 for r in rows), max(r.x1 for r in rows)
    width = right - left
    size = median(r.size for r in rows) or 10
    step = max(size / 4, 1)
    allowed = max(1, len(rows) // 10)  # titles and heads may span the gutter
    gutters, start, x = [], None, left + step
    while x < right:
        crossing = sum(1 for r in rows if r.x0 < x < r.x1)
        if crossing <= allowed:
            start = x if start is None else start
        elif start is not None:
            gutters.append((start, x - step))
            start = None
        x += step
    gutters = [(a, b) for a, b in gutters if b - a >= size * 0.5]
    # each column must be a fair share of the width and hold several rows
    bounds = [left] + [g for pair in gutters for g in pair] + [right]
    columns = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if len(columns) < 2 or any(b - a < width * 0.2 for a, b in columns):
        return []
    for a, b in columns:
        if sum(1 for r in rows if a <= (r.x0 + r.x1) / 2 <= b) < 3:
            return []
    return gutters


def _joined(pages: list[list[list[_Row]]], body_size: float) -> list[str]:
    """Join wrapped printed lines into one line per paragraph, heading, title or note, also
    across a page break: a paragraph that fills the last line of a page and goes on flush left
    on the next is one paragraph, even when that line ends on a full stop. The running head
    between them (smaller type, alone at the head of the page) stays as a line of its own."""
    out = []
    previous, previous_run, last = None, None, None  # ``last``: the line ``previous`` is in
    for runs in pages:
        at_head = True
        for run in runs:
            if len(run) == 1:
                left = right = None
            else:
                # The text block's edges come from the rows in the run's most common type size:
                # a running head or title in the same run may stand out past them.
                sizes = [round(r.size) for r in run]
                common = max(set(sizes), key=sizes.count)
                text_rows = [r for r in run if round(r.size) == common]
                left = min(r.x0 for r in text_rows)
                right = max(r.x1 for r in text_rows)
                reaching = sum(1 for r in text_rows if r.x1 >= right - max(r.size, 1) * 0.6)
                if reaching < 2:
                    right = None  # no edge shared by several lines: not wrapped text
            gaps = [a.bottom - b.top for a, b in zip(run, run[1:], strict=False)]
            # The run's usual space between lines: loose leading is not a paragraph break.
            line_gap = median(gaps) if len(gaps) >= 2 else 0.0
            for row in run:
                if at_head and len(run) == 1 and row.size < body_size - 0.5:
                    out.append(row.text)  # the running head: outside the text's flow
                    continue
                at_head = False
                if previous is not None and _continues(
                    previous, previous_run, row, run, left, right, line_gap
                ):
                    out[last] = _join(out[last], row.text)
                else:
                    out.append(row.text)
                    last = len(out) - 1
                previous, previous_run = row, (run, left, right)
        out.append("")
    return out


def _continues(previous, previous_run, row, run, left, right, line_gap=0.0) -> bool:
    prev_rows, prev_left, prev_right = previous_run
    if prev_right is None or left is None:
        return False
    size = max(row.size, 1)
    if abs(previous.size - row.size) > 0.5 or previous.font != row.font:
        return False  # another size or typeface: a heading, title or note, not a wrapped line
    short = prev_right - previous.x1
    if short > size * 2.2:  # the previous line stops short: the end of a paragraph
        return False
    if short > size * 0.6 and previous.text.endswith(PARAGRAPH_END):
        return False  # ragged right: a line a little short ends a paragraph if its text does
    if row.x0 > left + size * 0.5:  # indented: a new paragraph
        return False
    if PAGE_REFERENCE_END.search(previous.text) or row.text.startswith(SUBTITLE_START):
        return False
    if prev_rows is run:
        gap = previous.bottom - row.top
        # no more space between than between the run's other lines: the same paragraph
        return gap < max(size * 1.2, line_gap * 1.3)
    return True  # from the foot of one column to the head of the next


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right
