"""manage.py export_distribution (the current list or an issue's record) and the per-issue
export page of the issue admin (发行 and superusers only)."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from issues.models import DistributionEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_list():
    group = factories.RecipientGroupFactory(name="各专门委员会")
    factories.RecipientFactory(group=group, addressee="提案委员会", postcode="530001", copies=2)
    factories.RecipientFactory(group=group, addressee="经济委员会", postcode="530002")
    return group


@pytest.fixture
def recorded_issue(publication, current_list):
    """Issue 2024-2 with a record that differs from today's list."""
    issue = factories.IssueFactory(publication=publication, year=2024, number=2, published=True)
    DistributionEntry.objects.create(
        issue=issue,
        order=1,
        group_name="各市（县）区政协",
        recipient="南宁市政协",
        contact="办公室",
        postal_address="南宁市竹溪大道",
        postcode="530028",
        copies=3,
    )
    DistributionEntry.objects.create(
        issue=issue, order=2, group_name="自治区政协机关各处室", recipient="", copies=None
    )
    return issue


def run(*args):
    """Call the command; return (exit code, stdout text)."""
    out = io.StringIO()
    try:
        call_command("export_distribution", *args, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_csv_of_the_current_list_to_a_file(tmp_path, current_list):
    target = tmp_path / "list.csv"

    code, _ = run("--format", "csv", "-o", str(target))

    assert code == 0
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [row[1] for row in table[1:]] == ["经济委员会", "提案委员会"]  # pinyin: jing < ti


def test_xlsx_of_an_issue_is_its_record_not_the_current_list(tmp_path, recorded_issue):
    from openpyxl import load_workbook

    target = tmp_path / "issue.xlsx"

    code, _ = run("--issue", "2024-2", "--format", "xlsx", "-o", str(target))

    assert code == 0
    values = list(load_workbook(target).active.iter_rows(values_only=True))
    assert [row[1] for row in values[1:-1]] == ["南宁市政协", None]
    assert values[-1][0] == "合计" and values[-1][1] == 2 and values[-1][7] == 3


def test_txt_of_an_issue_prints_its_distribution_line(tmp_path, recorded_issue):
    recorded_issue.distribution_line = "各市（县）区政协；自治区政协机关各处室。"
    recorded_issue.save()
    target = tmp_path / "line.txt"

    code, _ = run("--issue", "2024-2", "--format", "txt", "-o", str(target))

    assert code == 0
    assert target.read_text(encoding="utf-8") == "发：各市（县）区政协；自治区政协机关各处室。\n"


def test_txt_of_the_current_list_starts_with_fa(tmp_path, current_list):
    target = tmp_path / "line.txt"

    code, _ = run("--format", "txt", "-o", str(target))

    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("发：各专门委员会")


def test_labels_of_an_issue_per_copy(tmp_path, recorded_issue):
    from pypdf import PdfReader

    target = tmp_path / "labels.pdf"

    code, _ = run("--issue", "2024-2", "--format", "labels", "--per-copy", "-o", str(target))

    assert code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert len(re.findall(r"530028", text)) == 3  # 3 copies; the whole group gets one label
    assert "自治区政协机关各处室" in text


def test_csv_to_stdout(current_list, capsysbinary):
    call_command("export_distribution", "--format", "csv")

    assert capsysbinary.readouterr().out.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "doc"],
        ["--issue", "2024/2", "--format", "csv"],
        ["--issue", "2030-9", "--format", "csv"],
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(publication, args):
    code, message = run(*args)

    assert code == 2
    assert re.search(r"Unknown format|YEAR-NUMBER|No issue 2030-9", message)


# --- The per-issue admin page ----------------------------------------------------------------


def export_url(issue):
    return reverse("admin:issues_issue_distribution_export", args=[issue.pk])


@pytest.mark.parametrize("role", ["编辑", "核稿", "签发"])
def test_issue_export_is_forbidden_to_editorial_roles(client, role_users, recorded_issue, role):
    client.force_login(role_users[role])

    for fmt in ["", "csv", "labels"]:
        response = client.get(export_url(recorded_issue), {"format": fmt} if fmt else {})
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["发行", "admin"])
def test_distribution_staff_export_an_issue(client, role_users, recorded_issue, role):
    client.force_login(role_users[role])

    page = client.get(export_url(recorded_issue))
    response = client.get(export_url(recorded_issue), {"format": "csv"})

    assert page.status_code == 200
    assert response.status_code == 200
    assert "distribution-2024-02.csv" in response["Content-Disposition"]
    assert "南宁市政协" in response.content.decode("utf-8-sig")
    assert "提案委员会" not in response.content.decode("utf-8-sig")


def test_txt_of_an_issue_without_override_prints_the_recorded_line(tmp_path, recorded_issue):
    from issues.models import IssueDistribution

    IssueDistribution.objects.create(
        issue=recorded_issue,
        source=IssueDistribution.Source.IMPORT,
        printed_line="各市（县）区政协。",
    )
    target = tmp_path / "line.txt"

    code, _ = run("--issue", "2024-2", "--format", "txt", "-o", str(target))

    assert code == 0
    assert target.read_text(encoding="utf-8") == "发：各市（县）区政协。\n"
