"""Loading a distribution list from CSV or XLSX: parsing, preview, confirm, access."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.list_import import ListImportError, parse_list, plan_import
from people.models import Recipient
from people.services import ListImportRefused, import_recipient_list
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["分组", "收件人", "联系人", "职务", "邮寄地址", "邮政编码", "联系电话", "份数"]


def csv_bytes(rows, header=HEADER):
    lines = [",".join(header), *(",".join(str(c) for c in row) for row in rows)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(rows, header=HEADER):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    sheet.append(["合计", None, None, None, None, None, None, 99])  # the export's totals line
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def groups():
    leaders = factories.RecipientGroupFactory(name="自治区政协领导")
    cities = factories.RecipientGroupFactory(name="各设区市、县（市、区）政协")
    return leaders, cities


GOOD_ROWS = [
    [
        "自治区政协领导",
        "自治区政协主席",
        "王秘书",
        "主席",
        "南宁市民族大道1号",
        "530028",
        "0771-1234567",
        2,
    ],
    ["各设区市、县（市、区）政协", "南宁市政协", "李明", "", "南宁市青秀区", "530022", "", 3],
]


def test_csv_with_bom_is_parsed(groups):
    parsed = parse_list(csv_bytes(GOOD_ROWS), "名单.csv", group_names={g.name for g in groups})

    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.number, first.group, first.name, first.copies) == (
        2,
        "自治区政协领导",
        "自治区政协主席",
        2,
    )
    assert (second.postcode, second.contact, second.address) == ("530022", "李明", "南宁市青秀区")


def test_xlsx_is_parsed_and_the_totals_line_skipped(groups):
    rows = [[*GOOD_ROWS[0][:5], 10001, *GOOD_ROWS[0][6:]], GOOD_ROWS[1]]  # 010001 typed as a number

    parsed = parse_list(xlsx_bytes(rows), "名单.xlsx", group_names={g.name for g in groups})

    assert parsed.errors == []
    assert [r.name for r in parsed.rows] == ["自治区政协主席", "南宁市政协"]
    assert parsed.rows[0].postcode == "010001"
    assert parsed.rows[1].copies == 3


def test_a_file_without_the_header_is_refused():
    with pytest.raises(ListImportError, match="收件人"):
        parse_list(csv_bytes([["a", "b"]], header=["名称", "地址"]), "x.csv")
    with pytest.raises(ListImportError):
        parse_list(b"whatever", "x.txt")


def test_preview_counts_create_update_skip(groups):
    leaders, cities = groups
    factories.RecipientFactory(
        group=leaders,
        addressee="自治区政协主席",
        copies=1,
        contact="王秘书",
        postal_address="南宁市民族大道1号",
        postcode="530028",
        phone="0771-1234567",
    )
    same = factories.RecipientFactory(
        group=cities,
        addressee="柳州市政协",
        copies=1,
        contact="",
        postal_address="",
        postcode="545000",
        phone="",
    )
    rows = [*GOOD_ROWS, ["各设区市、县（市、区）政协", "柳州市政协", "", "", "", "545000", "", 1]]

    parsed = plan_import(csv_bytes(rows), "名单.csv")

    assert (parsed.created, parsed.updated, parsed.skipped) == (1, 1, 1)
    assert parsed.rows[0].changes == ["份数"]
    assert parsed.rows[2].recipient_id == same.pk
    assert Recipient.objects.count() == 2  # a preview writes nothing


def test_the_import_updates_matches_and_creates_the_rest(groups):
    leaders, cities = groups
    person = factories.PersonFactory(name="自治区政协主席")  # matched by the printed name
    existing = factories.RecipientFactory(group=leaders, addressee="", person=person, copies=1)
    elsewhere = factories.RecipientFactory(group=cities, addressee="自治区政协主席", copies=9)

    result = import_recipient_list(data=xlsx_bytes(GOOD_ROWS), filename="名单.xlsx")

    assert (result.created, result.updated, result.skipped) == (1, 1, 0)
    existing.refresh_from_db()
    assert (existing.copies, existing.contact, existing.postcode) == (2, "王秘书", "530028")
    elsewhere.refresh_from_db()
    assert elsewhere.copies == 9  # same name in another group is another recipient
    new = Recipient.objects.get(addressee="南宁市政协")
    assert (new.group, new.copies, new.phone) == (cities, 3, "")


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["自治区政协领导", "", "", "", "", "530000", "", 1], "缺少收件人"),
        (["自治区政协领导", "某单位", "", "", "", "53000", "", 1], "邮政编码“53000”应为6位数字"),
        (["自治区政协领导", "某单位", "", "", "", "5300AB", "", 1], "应为6位数字"),
        (["自治区政协领导", "某单位", "", "", "", "530000", "", 0], "份数“0”应为正整数"),
        (["自治区政协领导", "某单位", "", "", "", "530000", "", "两份"], "份数“两份”应为正整数"),
        (["自治区政协领导", "某单位", "", "", "", "530000", "", -1], "应为正整数"),
        (["不存在的分组", "某单位", "", "", "", "530000", "", 1], "分组“不存在的分组”不存在"),
    ],
)
def test_each_bad_row_is_reported_by_number_and_nothing_is_written(groups, bad_row, message):
    data = csv_bytes([GOOD_ROWS[0], GOOD_ROWS[1], bad_row])

    parsed = plan_import(data, "名单.csv")

    assert len(parsed.errors) == 1
    assert parsed.errors[0].number == 4
    assert message in str(parsed.errors[0])
    assert str(parsed.errors[0]).startswith("第4行：")
    with pytest.raises(ListImportRefused):
        import_recipient_list(data=data, filename="名单.csv")
    assert not Recipient.objects.exists()


# --- The admin pages ---------------------------------------------------------------------

IMPORT_URL = "admin:people_recipient_import"
IMPORT_NAME = "people_recipient_import"
CONFIRM_URL = "admin:people_recipient_import_confirm"


def _upload(client, data, name="名单.csv"):
    return client.post(reverse(IMPORT_URL), {"file": SimpleUploadedFile(name, data)})


def test_upload_previews_and_confirm_imports(client, role_users, groups):
    client.force_login(role_users["发行"])

    response = _upload(client, csv_bytes(GOOD_ROWS))

    content = response.content.decode()
    assert response.status_code == 200
    assert "新增 2 个，更新 0 个，无变化跳过 0 个，有误 0 行" in content
    assert "确认导入" in content
    assert not Recipient.objects.exists()

    response = client.post(reverse(CONFIRM_URL))

    assert response.status_code == 302
    assert Recipient.objects.count() == 2
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("新增 2 个" in m for m in messages)


def test_preview_with_bad_rows_offers_no_confirm(client, role_users, groups):
    client.force_login(role_users["发行"])
    rows = [*GOOD_ROWS, ["自治区政协领导", "", "", "", "", "", "", 1]]

    content = _upload(client, xlsx_bytes(rows), "名单.xlsx").content.decode()

    assert "第4行：缺少收件人" in content
    assert "确认导入" not in content


def test_confirm_validates_again_and_writes_nothing_on_a_new_error(client, role_users, groups):
    client.force_login(role_users["发行"])
    _upload(client, csv_bytes(GOOD_ROWS))
    groups[1].delete()  # the group went away between preview and confirm

    response = client.post(reverse(CONFIRM_URL), follow=True)

    assert not Recipient.objects.exists()
    assert "名单未导入" in response.content.decode()
    assert "第3行" in response.content.decode()


def test_a_file_that_is_not_a_list_is_reported_on_the_form(client, role_users):
    client.force_login(role_users["发行"])

    response = _upload(client, b"plain text", "名单.txt")

    assert response.status_code == 200
    assert "只能导入 CSV 或 Excel" in response.content.decode()


@pytest.mark.parametrize("role", ["编辑", "核稿", "签发"])
def test_other_roles_get_403_on_every_list_page(client, role_users, groups, role):
    recipient = factories.RecipientFactory(group=groups[0])
    client.force_login(role_users[role])
    gets = [
        reverse("admin:people_recipient_changelist"),
        reverse("admin:people_recipient_add"),
        reverse("admin:people_recipient_change", args=[recipient.pk]),
        reverse("admin:people_recipientgroup_changelist"),
        reverse("admin:people_recipientgroup_add"),
        reverse("admin:people_recipientgroup_change", args=[groups[0].pk]),
        reverse(IMPORT_URL),
    ]
    for url in gets:
        assert client.get(url).status_code == 403, url
    assert _upload(client, csv_bytes(GOOD_ROWS)).status_code == 403
    assert client.post(reverse(CONFIRM_URL)).status_code == 403
    move = {
        "cmd": "move_node",
        "cut_item": groups[1].pk,
        "pasted_on": groups[0].pk,
        "position": "last-child",
    }
    assert client.post(reverse("admin:people_recipientgroup_changelist"), move).status_code == 403
    assert Recipient.objects.count() == 1
    groups[1].refresh_from_db()
    assert groups[1].parent is None


@pytest.mark.parametrize("role", ["发行", "admin"])
def test_distribution_staff_and_superusers_see_the_list(client, role_users, groups, role):
    client.force_login(role_users[role])

    for name in ["people_recipient_changelist", "people_recipientgroup_changelist", IMPORT_NAME]:
        assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_no_other_role_holds_any_recipient_permission():
    from bulletin.roles import ROLES

    for role, codenames in ROLES.items():
        touching = [c for c in codenames if "recipient" in c]
        if role == "发行":
            assert len(touching) == 8
        else:
            assert touching == [], role
