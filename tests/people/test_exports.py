"""Exports of the current distribution list: CSV, XLSX, the 发： line, mailing labels, and the
admin's export page (发行 and superusers only)."""

import csv
import io
import math
import re

import pytest
from django.urls import reverse

from people import exports
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def distribution_list():
    """Two groups (the second nested), a retired group, a suspended recipient, a person with a
    position; orders and pinyin decide the order inside a group."""
    leaders = factories.RecipientGroupFactory(name="自治区政协领导")
    cities = factories.RecipientGroupFactory(name="各市（县）区政协")
    counties = factories.RecipientGroupFactory(name="各设区市、县（市、区）政协", parent=cities)
    retired = factories.RecipientGroupFactory(name="已撤销分组", is_active=False)
    person = factories.PersonFactory(name="黄远声", position="自治区政协副主席")
    factories.RecipientFactory(
        group=leaders,
        addressee="",
        person=person,
        copies=2,
        postal_address="南宁市民族大道1号",
        postcode="530022",
        contact="秘书处",
        phone="0771-1234567",
    )
    # Same order: 北海 (bei) before 柳州 (liu) before 南宁 (nan) by pinyin.
    factories.RecipientFactory(group=cities, addressee="南宁市政协", postcode="530028", copies=3)
    factories.RecipientFactory(group=cities, addressee="柳州市政协", postcode="545001")
    factories.RecipientFactory(group=cities, addressee="北海市政协", postcode="536000")
    factories.RecipientFactory(group=cities, addressee="桂林市政协", postcode="541001", order=9)
    factories.RecipientFactory(group=counties, addressee="武鸣区政协", postcode="530100", copies=4)
    factories.RecipientFactory(group=cities, addressee="停寄单位", is_active=False)
    factories.RecipientFactory(group=retired, addressee="撤销单位")
    return {"leaders": leaders, "cities": cities, "counties": counties}


EXPECTED_ORDER = ["黄远声", "北海市政协", "柳州市政协", "南宁市政协", "桂林市政协", "武鸣区政协"]


def test_current_rows_keep_tree_order_then_order_then_pinyin(distribution_list):
    rows = exports.current_rows()

    assert [row.recipient for row in rows] == EXPECTED_ORDER
    assert rows[0].position == "自治区政协副主席"
    assert rows[0].group == "自治区政协领导"
    assert rows[-1].group == "各设区市、县（市、区）政协"
    assert exports.totals(rows) == (6, 12)


def test_csv_has_a_bom_and_reads_back_with_the_csv_module(distribution_list):
    content = exports.to_csv(exports.current_rows())

    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert table[0] == [
        "分组",
        "收件人",
        "联系人",
        "职务",
        "邮寄地址",
        "邮政编码",
        "联系电话",
        "份数",
    ]
    assert [line[1] for line in table[1:]] == EXPECTED_ORDER
    assert table[1] == [
        "自治区政协领导",
        "黄远声",
        "秘书处",
        "自治区政协副主席",
        "南宁市民族大道1号",
        "530022",
        "0771-1234567",
        "2",
    ]


def test_xlsx_reads_back_with_a_bold_frozen_header_and_totals(distribution_list):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exports.to_xlsx(exports.current_rows()))).active

    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == exports.HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [line[1] for line in values[1:-1]] == EXPECTED_ORDER
    assert values[1][7] == 2 and values[1][5] == "530022"
    assert values[-1][0] == "合计"
    assert values[-1][1] == 6  # recipients
    assert values[-1][7] == 12  # copies
    # A CJK character counts as 2: the group column fits 各设区市、县（市、区）政协.
    assert sheet.column_dimensions["A"].width >= exports.display_width("各设区市、县（市、区）政协")


def test_display_width_counts_cjk_as_two():
    assert exports.display_width("政协ab") == 6


def test_txt_is_the_distribution_line_as_printed(distribution_list):
    line = exports.current_line()

    # Top-level groups are clauses; a group with recipients of its own and a subgroup prints
    # both as a series (people.distribution_list).
    assert exports.to_txt(line).decode() == (
        "发：自治区政协领导；各市（县）区政协、各设区市、县（市、区）政协。\n"
    )
    assert exports.to_txt("发：各专门委员会。") == "发：各专门委员会。\n".encode()


def _pdf_texts(content):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def _embedded_fonts(reader):
    embedded = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            candidates = [font] + ([d.get_object() for d in descendants] if descendants else [])
            for candidate in candidates:
                descriptor = candidate.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(candidate.get("/BaseFont")))
    return embedded


def _many_rows(count, copies=1):
    return [
        exports.ExportRow(
            group="各市（县）区政协",
            recipient=f"第{index}号政协",
            contact="办公室",
            address=f"广西南宁市青秀区民族大道{index}号",
            postcode=f"{530000 + index:06d}",
            copies=copies,
        )
        for index in range(count)
    ]


def test_labels_pdf_has_one_label_per_recipient_and_embedded_cjk_fonts():
    rows = _many_rows(30, copies=2)

    reader, texts = _pdf_texts(exports.to_labels(rows, per_copy=False))

    assert len(texts) == math.ceil(30 / 24) == 2
    postcodes = re.findall(r"\b53\d{4}\b", "\n".join(texts))
    assert sorted(postcodes) == sorted(row.postcode for row in rows)
    assert len(re.findall(r"\b53\d{4}\b", texts[0])) == 24
    assert "第0号政协" in texts[0] and "2份" in texts[0]
    assert _embedded_fonts(reader), "CJK fonts must be embedded"


def test_labels_per_copy_prints_a_label_for_every_copy():
    rows = _many_rows(10, copies=3)

    _reader, texts = _pdf_texts(exports.to_labels(rows, per_copy=True))

    assert len(texts) == math.ceil(30 / 24)
    assert len(re.findall(r"\b53\d{4}\b", "\n".join(texts))) == 30
    assert "第3份／共3份" in "\n".join(texts)


def test_labels_grid_comes_from_settings(settings):
    settings.BULLETIN_LABELS = {"columns": 2, "rows": 5}

    _reader, texts = _pdf_texts(exports.to_labels(_many_rows(11)))

    assert len(texts) == 2  # 10 a sheet
    assert len(re.findall(r"\b53\d{4}\b", texts[0])) == 10


def test_unknown_format_is_refused():
    with pytest.raises(exports.ExportError):
        exports.export([], "doc")


# --- The admin page --------------------------------------------------------------------------

EXPORT_URL = "admin:people_recipient_export"


@pytest.mark.parametrize("role", ["编辑", "核稿", "签发"])
def test_export_page_is_forbidden_to_editorial_roles(client, role_users, role):
    client.force_login(role_users[role])

    for fmt in ["", "csv", "xlsx", "txt", "labels"]:
        response = client.get(reverse(EXPORT_URL), {"format": fmt} if fmt else {})
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["发行", "admin"])
def test_distribution_staff_export_the_current_list(client, role_users, distribution_list, role):
    client.force_login(role_users[role])

    page = client.get(reverse(EXPORT_URL))
    response = client.get(reverse(EXPORT_URL), {"format": "csv"})

    assert page.status_code == 200
    assert "共 6 个收件人，12 份" in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "武鸣区政协" in response.content.decode("utf-8-sig")


def test_admin_exports_xlsx_txt_and_labels(client, role_users, distribution_list):
    client.force_login(role_users["发行"])

    xlsx = client.get(reverse(EXPORT_URL), {"format": "xlsx"})
    txt = client.get(reverse(EXPORT_URL), {"format": "txt"})
    labels = client.get(reverse(EXPORT_URL), {"format": "labels", "per_copy": "1"})

    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert txt.status_code == 200 and txt.content.decode().startswith("发：")
    assert labels.status_code == 200 and labels.content.startswith(b"%PDF")
    _reader, texts = _pdf_texts(labels.content)
    assert len(re.findall(r"\b5\d{5}\b", "\n".join(texts))) == 12  # one per copy


def test_long_lists_are_laid_out_in_parts_and_joined(settings):
    settings.BULLETIN_LABELS = {"workers": 2, "pages_per_part": 1}
    rows = _many_rows(60)

    reader, texts = _pdf_texts(exports.to_labels(rows))

    assert len(texts) == 3
    assert sorted(re.findall(r"\b53\d{4}\b", "\n".join(texts))) == sorted(r.postcode for r in rows)
    assert _embedded_fonts(reader)


def test_long_lines_are_wrapped_to_the_label():
    lines = exports.wrap("广西壮族自治区南宁市青秀区民族大道一百号政协大楼", 20, 3)

    assert lines == ["广西壮族自治区南宁市", "青秀区民族大道一百号", "政协大楼"]


def test_changelist_action_exports_the_selection(client, role_users, distribution_list):
    from openpyxl import load_workbook

    from people.models import Recipient

    client.force_login(role_users["发行"])
    chosen = Recipient.objects.filter(addressee__in=["南宁市政协", "北海市政协"])

    response = client.post(
        reverse("admin:people_recipient_changelist"),
        {"action": "export_selected_xlsx", "_selected_action": [r.pk for r in chosen]},
    )

    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [line[1] for line in values[1:-1]] == ["北海市政协", "南宁市政协"]
    assert values[-1][7] == 4
