"""Reading a distribution list from CSV or XLSX, with the export's columns; no writes.

``parse_list`` turns a file into rows and per-row errors; ``plan_import`` reads the database
to say, row by row, whether a recipient would be created, updated or left as it is.
The write itself is people.services.import_recipient_list.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from .models import Recipient, RecipientGroup

# The export's columns, in order; only 收件人 must be present.
COLUMNS = {
    "分组": "group",
    "收件人": "name",
    "联系人": "contact",
    "职务": "position",
    "邮寄地址": "address",
    "邮政编码": "postcode",
    "联系电话": "phone",
    "份数": "copies",
}
REQUIRED = ("分组", "收件人")
_POSTCODE = re.compile(r"^\d{6}$")
_TOTAL_ROW = re.compile(r"^\s*(合计|总计)")

CREATE, UPDATE, SKIP = "create", "update", "skip"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", SKIP: "无变化，跳过"}
# Recipient fields an import sets, from the row's attributes.
UPDATED_FIELDS = {
    "contact": "contact",
    "postal_address": "address",
    "postcode": "postcode",
    "phone": "phone",
    "copies": "copies",
}


class ListImportError(Exception):
    """The file cannot be read at all (wrong type, no header row)."""


@dataclass
class ListRow:
    number: int  # the row number as a spreadsheet shows it (the header is row 1)
    group: str
    name: str
    contact: str = ""
    position: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    copies: int = 1
    # Filled by plan_import.
    action: str = ""
    group_id: int | None = None
    recipient_id: int | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")


@dataclass
class RowError:
    number: int
    message: str

    def __str__(self):
        return f"第{self.number}行：{self.message}"


@dataclass
class ParsedList:
    rows: list[ListRow]
    errors: list[RowError]

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def skipped(self):
        return self.count(SKIP)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")  # Excel and WPS write a BOM
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # older Excel "CSV" on Chinese Windows
        except UnicodeDecodeError as exc:
            raise ListImportError("无法识别文件编码，请另存为 UTF-8 编码的 CSV。") from exc
    return [[_cell_text(c) for c in row] for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a damaged or foreign file
        raise ListImportError("无法读取该 Excel 文件，请确认是 .xlsx 格式。") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            cells = []
            for index, value in enumerate(row):
                # A postcode typed as a number loses its leading zero (010000 -> 10000).
                if isinstance(value, int | float) and not isinstance(value, bool):
                    value = int(value) if float(value).is_integer() else value
                cells.append((index, value))
            rows.append(cells)
    finally:
        workbook.close()
    return rows


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The cells of the file's first sheet as text; raw numbers kept for postcode repair."""
    name = filename.lower()
    if name.endswith(".csv"):
        return _read_csv(data)
    if name.endswith(".xlsx"):
        table = []
        for cells in _read_xlsx(data):
            table.append(
                [value if isinstance(value, int) else _cell_text(value) for _, value in cells]
            )
        return table
    raise ListImportError("只能导入 CSV 或 Excel（.xlsx）文件。")


def parse_list(data: bytes, filename: str, *, group_names=None) -> ParsedList:
    """Rows and errors of a list file. With ``group_names`` (a set), unknown groups are errors."""
    table = read_table(data, filename)
    while table and not any(_cell_text(c) for c in table[0]):
        table.pop(0)
    if not table:
        raise ListImportError("文件是空的。")
    header = [_cell_text(c) for c in table[0]]
    positions = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
    missing = [h for h in REQUIRED if COLUMNS[h] not in positions]
    if missing:
        raise ListImportError(
            f"第1行应为表头，缺少列：{'、'.join(missing)}。列名应与导出文件一致：{'、'.join(COLUMNS)}。"
        )

    rows, errors = [], []
    seen = {}
    for offset, cells in enumerate(table[1:], start=2):

        def cell(key, cells=cells):
            index = positions.get(key)
            if index is None or index >= len(cells):
                return None
            return cells[index]

        values = {key: _cell_text(cell(key)) for key in positions}
        if not any(values.values()):
            continue
        if _TOTAL_ROW.match(values.get("group", "")) and not values.get("name"):
            continue  # the export's totals line
        problems = []
        name = values.get("name", "")
        group = values.get("group", "")
        if not name:
            problems.append("缺少收件人")
        if not group:
            problems.append("缺少分组")
        elif group_names is not None and group not in group_names:
            problems.append(f"分组“{group}”不存在，请先在发行分组中建立")
        postcode_value = cell("postcode")
        if isinstance(postcode_value, int) and 0 <= postcode_value < 1_000_000:
            postcode = f"{postcode_value:06d}"
        else:
            postcode = values.get("postcode", "")
        if postcode and not _POSTCODE.match(postcode):
            problems.append(f"邮政编码“{postcode}”应为6位数字")
        copies_text = values.get("copies", "")
        copies = 1
        if copies_text:
            if re.fullmatch(r"\d+", copies_text) and 1 <= int(copies_text) <= 32767:
                copies = int(copies_text)
            else:
                problems.append(f"份数“{copies_text}”应为正整数")
        key = (group, name)
        if name and group and key in seen:
            problems.append(f"与第{seen[key]}行重复（同一分组、同一收件人）")
        if problems:
            errors.append(RowError(offset, "；".join(problems)))
            continue
        seen[key] = offset
        rows.append(
            ListRow(
                number=offset,
                group=group,
                name=name,
                contact=values.get("contact", ""),
                position=values.get("position", ""),
                address=values.get("address", ""),
                postcode=postcode,
                phone=values.get("phone", ""),
                copies=copies,
            )
        )
    return ParsedList(rows, errors)


def group_lookup():
    """Group name -> the group, and the names carried by several groups (ambiguous)."""
    by_name, ambiguous = {}, set()
    for group in RecipientGroup.objects.order_by("tree_id", "lft"):
        if group.name in by_name:
            ambiguous.add(group.name)
        else:
            by_name[group.name] = group
    return by_name, ambiguous


def plan_import(data: bytes, filename: str) -> ParsedList:
    """Parse ``data`` and say for each good row what importing it would do; reads only."""
    by_name, ambiguous = group_lookup()
    parsed = parse_list(data, filename, group_names=set(by_name))
    good = []
    for row in parsed.rows:
        if row.group in ambiguous:
            parsed.errors.append(
                RowError(row.number, f"有多个名为“{row.group}”的分组，无法确定导入到哪一个")
            )
        else:
            good.append(row)
    parsed.errors.sort(key=lambda e: e.number)
    parsed.rows = good

    existing = {}
    group_ids = {by_name[row.group].pk for row in good}
    recipients = Recipient.objects.filter(group_id__in=group_ids).select_related(
        "person", "organisation"
    )
    for recipient in recipients.order_by("order", "pk"):
        existing.setdefault((recipient.group_id, recipient.display_name), recipient)
    for row in good:
        row.group_id = by_name[row.group].pk
        recipient = existing.get((row.group_id, row.name))
        if recipient is None:
            row.action = CREATE
            continue
        row.recipient_id = recipient.pk
        row.changes = [
            Recipient._meta.get_field(model_field).verbose_name
            for model_field, attr in UPDATED_FIELDS.items()
            if getattr(recipient, model_field) != getattr(row, attr)
        ]
        row.action = UPDATE if row.changes else SKIP
    return parsed
