"""Exports of the distribution list (发行名单): CSV, XLSX, the 发： line as text, mailing labels.

Every format works on a list of ``ExportRow`` so that the current list (``current_rows``) and an
issue's recorded distribution (issues/distribution_exports.py adapts its entries to the same
shape; people never imports issues) export alike. The labels are laid out by WeasyPrint, as the
issue PDF is, so that the CJK fonts (Noto CJK through fontconfig) are embedded.
"""

import csv
import io
import logging
import math
import multiprocessing
import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .distribution_list import current_distribution_line, current_recipients, in_list_order

logger = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx", "txt", "labels")
HEADERS = ("分组", "收件人", "联系人", "职务", "邮寄地址", "邮政编码", "联系电话", "份数")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
    "labels": "application/pdf",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "txt": "txt", "labels": "pdf"}

LABEL_DEFAULTS = {
    "page_size": "A4",
    "columns": 3,
    "rows": 8,
    # Page margins in millimetres (top, right, bottom, left) and the gaps between labels.
    "margin_top": 10.0,
    "margin_right": 7.0,
    "margin_bottom": 10.0,
    "margin_left": 7.0,
    "column_gap": 2.5,
    "row_gap": 0.0,
    "padding": 3.0,
    "font_size": 9.0,  # points
    "per_copy": False,  # one label per copy (True) or per recipient with the copies printed
    "workers": 0,  # processes for long lists (0: one per CPU)
    "pages_per_part": 40,
}
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "LETTER": (215.9, 279.4)}


class ExportError(ValueError):
    """A bad format or option, with a message fit for staff."""


class LabelsUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are missing on this machine."""


@dataclass(frozen=True)
class ExportRow:
    group: str
    recipient: str
    contact: str = ""
    position: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    copies: int | None = 1  # None: not known (a back issue's record of whole groups)

    def as_list(self):
        return [
            self.group,
            self.recipient,
            self.contact,
            self.position,
            self.address,
            self.postcode,
            self.phone,
            "" if self.copies is None else self.copies,
        ]


def current_rows():
    """The current list: active recipients of active groups, in list order."""
    return _rows(current_recipients())


def rows_for(recipients):
    """Export rows of ``recipients`` (a queryset) in list order."""
    return _rows(in_list_order(recipients))


def _rows(recipients):
    return [
        ExportRow(
            group=recipient.group.name,
            recipient=recipient.display_name,
            contact=recipient.contact,
            position=recipient.person.position if recipient.person_id else "",
            address=recipient.postal_address,
            postcode=recipient.postcode,
            phone=recipient.phone,
            copies=recipient.copies,
        )
        for recipient in recipients
    ]


def totals(rows):
    """(number of recipients, number of copies)."""
    return len(rows), sum(row.copies or 0 for row in rows)


# --- CSV -------------------------------------------------------------------------------------


def to_csv(rows) -> bytes:
    """UTF-8 with a BOM, so that Excel and WPS open the Chinese text correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(row.as_list())
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX ------------------------------------------------------------------------------------


def display_width(text) -> int:
    """Width in Latin character cells: a wide (CJK) character counts as 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def to_xlsx(rows, *, title="发行名单") -> bytes:
    """A workbook with a bold frozen header row, fitted column widths and a totals row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    widths = [display_width(header) for header in HEADERS]
    for row in rows:
        values = row.as_list()
        sheet.append(values)
        for index, value in enumerate(values):
            width = display_width(value)
            if width > widths[index]:
                widths[index] = width
    count, copies = totals(rows)
    sheet.append(["合计", count, None, None, None, None, None, copies])
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = bold
    sheet.cell(row=last, column=2).number_format = '0"个收件人"'
    sheet.cell(row=last, column=8).number_format = '0"份"'
    widths[1] = max(widths[1], display_width(f"{count}个收件人"))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 80)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- TXT: the 发： line -----------------------------------------------------------------------


def current_line() -> str:
    """The 发： line of the current list (without 发：)."""
    return current_distribution_line()


def to_txt(line: str) -> bytes:
    """The 发： line as printed, one text file line per printed line."""
    line = (line or "").strip()
    if not line.startswith("发："):
        line = f"发：{line}"
    return (line + "\n").encode("utf-8")


# --- Labels ----------------------------------------------------------------------------------


def label_settings(**overrides):
    options = {**LABEL_DEFAULTS, **getattr(settings, "BULLETIN_LABELS", {})}
    options.update({key: value for key, value in overrides.items() if value is not None})
    return options


@dataclass(frozen=True)
class Label:
    postcode: str
    address: str
    recipient: str
    contact: str
    copies: int | None
    copy_number: int = 0  # 1-based when one label is printed per copy


def labels_for(rows, *, per_copy=False):
    labels = []
    for row in rows:
        name = row.recipient or row.group  # a record of a whole group names the group
        if per_copy and row.copies:
            for number in range(1, row.copies + 1):
                labels.append(
                    Label(row.postcode, row.address, name, row.contact, row.copies, number)
                )
        else:
            labels.append(Label(row.postcode, row.address, name, row.contact, row.copies))
    return labels


def wrap(text, cells, max_lines):
    """``text`` cut into lines of at most ``cells`` display cells (a CJK character is 2), at
    most ``max_lines`` of them. Lines are broken here rather than by the layout: WeasyPrint's
    line breaking of long CJK runs is what made thousands of labels slow."""
    lines, line, width = [], "", 0
    for char in " ".join(str(text).split()):
        char_width = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if width + char_width > cells and line:
            lines.append(line)
            line, width = "", 0
            if len(lines) == max_lines:
                break
        line += char
        width += char_width
    else:
        if line:
            lines.append(line)
    return lines[:max_lines]


@dataclass(frozen=True)
class LabelLayout:
    columns: int
    rows: int
    page_width: float
    page_height: float
    label_width: float
    label_height: float
    cells: int  # display cells of body text a label line holds

    @property
    def per_page(self):
        return self.columns * self.rows


def label_layout(options) -> LabelLayout:
    columns, rows_per_page = int(options["columns"]), int(options["rows"])
    if columns < 1 or rows_per_page < 1:
        raise ExportError("BULLETIN_LABELS: columns and rows must be at least 1.")
    page_width, page_height = PAGE_SIZES_MM.get(str(options["page_size"]).upper(), (210.0, 297.0))
    usable_width = page_width - options["margin_left"] - options["margin_right"]
    usable_height = page_height - options["margin_top"] - options["margin_bottom"]
    label_width = (usable_width - (columns - 1) * options["column_gap"]) / columns
    label_height = (usable_height - (rows_per_page - 1) * options["row_gap"]) / rows_per_page
    em_mm = float(options["font_size"]) * 25.4 / 72  # one CJK character is one em wide
    cells = max(4, int(2 * (label_width - 2 * options["padding"]) / em_mm))
    return LabelLayout(
        columns, rows_per_page, page_width, page_height, label_width, label_height, cells
    )


def _label_lines(label, layout, per_copy):
    """(address lines, recipient lines, footer) of one label, broken to fit its width."""
    if per_copy:
        copies = f"第{label.copy_number}份／共{label.copies}份" if label.copy_number else ""
        copies = copies if (label.copies or 0) > 1 else ""
    else:
        copies = f"{label.copies}份" if label.copies else ""
    contact = f"{label.contact} 收" if label.contact else ""
    gap = " " * max(1, layout.cells - display_width(contact) - display_width(copies))
    footer = f"{contact}{gap}{copies}" if copies else contact
    # The recipient prints one size larger (1.15 em): fewer characters a line.
    return (
        "\n".join(wrap(label.address, layout.cells, 3)),
        "\n".join(wrap(label.recipient, int(layout.cells / 1.15), 2)),
        footer,
    )


def labels_html(rows, *, per_copy=None, options=None, pages=None) -> str:
    """The labels as one HTML document (``pages``: only these pages, for a part of the PDF)."""
    options = options or label_settings()
    per_copy = options["per_copy"] if per_copy is None else per_copy
    labels = labels_for(rows, per_copy=per_copy)
    layout = label_layout(options)
    sheets = []
    for start in range(0, len(labels), layout.per_page):
        page = []
        for index, label in enumerate(labels[start : start + layout.per_page]):
            row, column = divmod(index, layout.columns)
            address, recipient, footer = _label_lines(label, layout, per_copy)
            page.append((f"c{column} r{row}", label.postcode, address, recipient, footer))
        sheets.append(page)
    if pages is not None:
        sheets = sheets[pages.start : pages.stop]
    css_path = finders.find("css/labels.css")
    css = Path(css_path).read_text(encoding="utf-8") if css_path else ""
    column_rules = [
        f".c{c} {{ left: {c * (layout.label_width + options['column_gap']):.3f}mm; }}"
        for c in range(layout.columns)
    ]
    row_rules = [
        f".r{r} {{ top: {r * (layout.label_height + options['row_gap']):.3f}mm; }}"
        for r in range(layout.rows)
    ]
    return render_to_string(
        "people/labels.html",
        {
            "pages": sheets,
            "css": css,
            "grid_rules": "\n".join(column_rules + row_rules),
            "page_width": f"{layout.page_width:.2f}mm",
            "page_height": f"{layout.page_height:.2f}mm",
            "margins": (
                f"{options['margin_top']}mm {options['margin_right']}mm "
                f"{options['margin_bottom']}mm {options['margin_left']}mm"
            ),
            "label_width": f"{layout.label_width:.3f}mm",
            "label_height": f"{layout.label_height:.3f}mm",
            "padding": f"{options['padding']}mm",
            "font_size": f"{options['font_size']}pt",
        },
    )


def label_pages(count, options=None) -> int:
    return math.ceil(count / label_layout(options or label_settings()).per_page)


def to_labels(rows, *, per_copy=None, options=None) -> bytes:
    """An A4 PDF of mailing labels (3 × 8 a sheet unless BULLETIN_LABELS says otherwise).

    Long lists are laid out in parts, in parallel processes when the machine has several
    cores (BULLETIN_LABELS["workers"]), and the parts joined with pypdf; each part embeds the
    subset of the CJK font it uses."""
    options = options or label_settings()
    per_copy = options["per_copy"] if per_copy is None else per_copy
    _weasyprint()  # a clear LabelsUnavailable before any work
    total = math.ceil(len(labels_for(rows, per_copy=per_copy)) / label_layout(options).per_page)
    workers = int(options.get("workers") or os.cpu_count() or 1)
    min_pages = int(options.get("pages_per_part", 40))
    parts = max(1, min(workers, total // min_pages))
    if parts == 1:
        return _render_labels(labels_html(rows, per_copy=per_copy, options=options))
    size = math.ceil(total / parts)
    documents = [
        labels_html(rows, per_copy=per_copy, options=options, pages=range(start, start + size))
        for start in range(0, total, size)
    ]
    context = multiprocessing.get_context("fork" if "fork" in _start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=len(documents), mp_context=context) as pool:
        pdfs = list(pool.map(_render_labels, documents))
    return _join_pdfs(pdfs)


def _start_methods():
    return multiprocessing.get_all_start_methods()


def _render_labels(html) -> bytes:
    weasyprint = _weasyprint()

    class RefusingFetcher(weasyprint.URLFetcher):  # no network, no files: the CSS is inline
        def fetch(self, url, headers=None):
            raise ValueError(f"labels fetch no resources: {url}")

    return weasyprint.HTML(string=html, url_fetcher=RefusingFetcher()).write_pdf()


def _join_pdfs(pdfs) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _weasyprint():
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # before the import
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        raise LabelsUnavailable(
            "WeasyPrint or its system libraries (Pango, HarfBuzz, fontconfig, fonts-noto-cjk) "
            f"are missing: {error}"
        ) from error
    return weasyprint


# --- One entry point -------------------------------------------------------------------------


def export(rows, fmt, *, line=None, per_copy=None) -> bytes:
    """``rows`` in format ``fmt``; ``line`` is the 发： line for txt (default: current)."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows)
    if fmt == "txt":
        return to_txt(current_line() if line is None else line)
    if fmt == "labels":
        return to_labels(rows, per_copy=per_copy)
    raise ExportError(f"Unknown format {fmt!r}: use one of {', '.join(FORMATS)}.")
