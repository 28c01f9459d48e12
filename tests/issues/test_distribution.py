"""The per-issue distribution record, the generated 发： line and the imported 发： line."""

import json
from pathlib import Path

import pytest

from articles.importers.colophon import split_entries
from articles.importers.parsed import Colophon, ParsedIssue
from articles.importers.print_text import parse_print_text
from issues.distribution import IMPORTED_GROUP_NAME, record_distribution
from issues.importing import save_parsed_issue
from issues.models import DistributionEntry, Issue, IssueDistribution
from issues.services import approve_issue, pass_issue, publish_issue, submit_issue, unpublish_issue
from people.distribution_list import active_groups, distribution_line_for
from people.models import Person, Recipient, RecipientGroup

SEED_NAME = "000_1f77cc8d6c62dca6"
SEED_DIRS = [Path(__file__).resolve().parents[3] / "shared" / "seeds"]
SEED = next((d / f"{SEED_NAME}.txt" for d in SEED_DIRS if (d / f"{SEED_NAME}.txt").exists()), None)
SEED_LINE = (
    "自治区政协主席、党组副书记、副主席、秘书长，副秘书长，\n各专门委员会，办公厅党组成员、其他厅级干部。\n"
    "各市（县）区政协；自治区政协机关各处室、所属事业单位。"
)


def group(name, parent=None, **kwargs):
    return RecipientGroup.objects.create(name=name, parent=parent, **kwargs)


@pytest.fixture
def tree(db):
    """The seed's 发： line as a tree: three top-level groups."""
    leaders = group("自治区政协领导及机关")
    top = group("领导", leaders)
    for name in ["自治区政协主席", "党组副书记", "副主席", "秘书长"]:
        group(name, top)
    group("副秘书长", leaders)
    committees = group("各专门委员会", leaders)
    cadres = group("厅级干部", leaders)
    group("办公厅党组成员", cadres)
    group("其他厅级干部", cadres)
    cities = group("各市（县）区政协")
    office = group("机关")
    group("自治区政协机关各处室", office)
    group("所属事业单位", office)
    return {"committees": committees, "cities": cities, "leaders": leaders}


@pytest.fixture
def recipients(tree):
    cities = tree["cities"]
    zhang = Person.objects.create(name="张三", position="主任")
    made = [
        Recipient.objects.create(group=cities, addressee="南宁市政协", copies=3,
                                 postal_address="南宁市民族大道1号", postcode="530000",
                                 contact="李四", phone="0771-1234567"),
        Recipient.objects.create(group=cities, addressee="北海市政协", copies=2),
        Recipient.objects.create(group=cities, addressee="桂林市政协", order=0),
        Recipient.objects.create(group=cities, addressee="百色市政协", order=5),
        Recipient.objects.create(group=tree["committees"], person=zhang, copies=1),
        Recipient.objects.create(group=cities, addressee="停寄单位", is_active=False),
    ]  # fmt: skip
    return made


def published_issue(publication, admin_user, number=1):
    issue = Issue.objects.create(publication=publication, year=2024, number=number)
    submit_issue(issue=issue, user=admin_user)
    pass_issue(issue=issue, user=admin_user)
    approve_issue(issue=issue, user=admin_user)
    return publish_issue(issue=issue, user=admin_user)


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chief", "c@example.org", "pw")


def entries(issue):
    return list(
        DistributionEntry.objects.filter(issue=issue).values_list(
            "group_name", "recipient", "copies"
        )
    )


# The generated 发： line


def test_generated_line_follows_the_tree(tree):
    assert distribution_line_for(active_groups()) == (
        "自治区政协主席、党组副书记、副主席、秘书长，副秘书长，各专门委员会，办公厅党组成员、其他厅级干部；"
        "各市（县）区政协；自治区政协机关各处室、所属事业单位。"
    )


def test_generated_line_leaves_out_inactive_groups(tree):
    tree["cities"].is_active = False
    tree["cities"].save()
    RecipientGroup.objects.filter(name="厅级干部").update(is_active=False)
    assert distribution_line_for(active_groups()) == (
        "自治区政协主席、党组副书记、副主席、秘书长，副秘书长，各专门委员会；"
        "自治区政协机关各处室、所属事业单位。"
    )
    assert distribution_line_for([]) == ""


def test_printed_line_override_wins(tree, publication):
    issue = Issue.objects.create(publication=publication, year=2024, number=3)
    assert issue.printed_distribution_line.startswith("自治区政协主席、党组副书记")
    issue.distribution_line = "各市（县）区政协。"
    assert issue.printed_distribution_line == "各市（县）区政协。"


# The per-issue record


def test_publishing_records_the_snapshot_in_order(recipients, publication, admin_user):
    issue = published_issue(publication, admin_user)
    record = issue.distribution_record
    assert record.source == IssueDistribution.Source.PUBLISH
    assert record.recorded_by == admin_user and record.recorded_at
    assert record.printed_line.endswith("所属事业单位。")
    # Tree order (各专门委员会 before 各市（县）区政协), then order, then pinyin (bei, nan).
    assert entries(issue) == [
        ("各专门委员会", "张三", 1),
        ("各市（县）区政协", "北海市政协", 2),
        ("各市（县）区政协", "桂林市政协", 1),
        ("各市（县）区政协", "南宁市政协", 3),
        ("各市（县）区政协", "百色市政协", 1),
    ]
    nanning = issue.distribution_entries.get(recipient="南宁市政协")
    assert (nanning.postal_address, nanning.postcode, nanning.contact, nanning.phone) == (
        "南宁市民族大道1号", "530000", "李四", "0771-1234567",
    )  # fmt: skip
    assert issue.distribution_entries.get(recipient="张三").position == "主任"


def test_later_changes_never_rewrite_the_record(recipients, publication, admin_user, tree):
    issue = published_issue(publication, admin_user)
    before = entries(issue)
    nanning = recipients[0]
    nanning.copies = 9
    nanning.addressee = "南宁市政协办公室"
    nanning.save()
    recipients[1].delete()
    Recipient.objects.create(group=tree["cities"], addressee="新增单位")
    tree["committees"].name = "各专委会"
    tree["committees"].save()
    assert entries(issue) == before
    assert issue.distribution_entries.get(recipient="南宁市政协").postcode == "530000"
    # The next issue gets the list as it is now.
    later = published_issue(publication, admin_user, number=2)
    assert ("各市（县）区政协", "南宁市政协办公室", 9) in entries(later)
    assert ("各专委会", "张三", 1) in entries(later)
    assert len(entries(later)) == 5


def test_publish_records_once(recipients, publication, admin_user):
    issue = published_issue(publication, admin_user)
    first = list(issue.distribution_entries.values_list("pk", flat=True))
    Recipient.objects.create(group=recipients[0].group, addressee="新增单位")
    unpublish_issue(issue=issue, user=admin_user, reason="更正")
    approve = Issue.objects.get(pk=issue.pk)
    assert approve.status != Issue.Status.PUBLISHED
    issue = Issue.objects.get(pk=issue.pk)
    if issue.status == Issue.Status.PROOFING:
        pass_issue(issue=issue, user=admin_user)
    if issue.status in (Issue.Status.PROOFING, Issue.Status.CHECKED):
        approve_issue(issue=issue, user=admin_user)
    if issue.status == Issue.Status.DRAFT:
        submit_issue(issue=issue, user=admin_user)
        pass_issue(issue=issue, user=admin_user)
        approve_issue(issue=issue, user=admin_user)
    publish_issue(issue=issue, user=admin_user)
    assert list(issue.distribution_entries.values_list("pk", flat=True)) == first
    assert IssueDistribution.objects.filter(issue=issue).count() == 1


def test_marking_sent_records_and_keeps_an_existing_record(recipients, publication, admin_user):
    issue = Issue.objects.create(publication=publication, year=2024, number=5)
    record = record_distribution(issue=issue, user=admin_user)
    assert record.source == IssueDistribution.Source.SENT
    assert len(entries(issue)) == 5
    recipients[0].delete()
    assert record_distribution(issue=issue, user=admin_user) == record
    assert len(entries(issue)) == 5


# Importing the 发： line


@pytest.mark.skipif(SEED is None, reason="seed issue not found")
def test_seed_line_imported_as_its_11_entries(publication):
    expected = json.loads(SEED.with_suffix(".expected.json").read_text())["colophon"]
    parsed = parse_print_text(SEED.read_bytes())
    issue = save_parsed_issue(parsed=parsed, publication=publication, year=2024, number=2)
    names = list(issue.distribution_entries.values_list("group_name", flat=True))
    assert names == expected["distribution"] and len(names) == 11
    assert set(issue.distribution_entries.values_list("recipient", flat=True)) == {""}
    record = issue.distribution_record
    assert record.source == IssueDistribution.Source.IMPORT
    imported = RecipientGroup.objects.get(name=IMPORTED_GROUP_NAME)
    assert not imported.is_active  # kept out of the current 发： line
    assert [g.name for g in imported.get_children()] == expected["distribution"]
    assert all(e.source_group for e in issue.distribution_entries.all())
    assert issue.printed_distribution_line == SEED_LINE


def import_line(publication, line, number=7):
    parsed = ParsedIssue(
        text="", sections=[], articles=[], colophon=Colophon(distribution_line=line)
    )
    return save_parsed_issue(parsed=parsed, publication=publication, year=2023, number=number)


def test_known_group_with_series_comma_imported_as_one_entry(publication, tree):
    known = group("各设区市、县（市、区）政协")
    issue = import_line(
        publication, "各设区市、县（市、区）政协，各专门委员会；自治区政协机关各处室。"
    )
    got = list(issue.distribution_entries.values_list("group_name", "source_group"))
    assert got == [
        ("各设区市、县（市、区）政协", known.pk),
        ("各专门委员会", tree["committees"].pk),
        ("自治区政协机关各处室", RecipientGroup.objects.get(name="自治区政协机关各处室").pk),
    ]
    assert not RecipientGroup.objects.filter(name=IMPORTED_GROUP_NAME).exists()


def test_unknown_bracketed_name_is_still_one_entry(publication):
    issue = import_line(publication, "各县（市、区）政协、【内部】各处室、《通讯》编辑部。")
    assert list(issue.distribution_entries.values_list("group_name", flat=True)) == [
        "各县（市、区）政协",
        "【内部】各处室",
        "《通讯》编辑部",
    ]
    assert RecipientGroup.objects.get(name="各县（市、区）政协").parent.name == IMPORTED_GROUP_NAME


def test_split_prefers_the_longest_known_name():
    line = "各设区市、县（市、区）政协、各设区市\n办公厅。"
    assert split_entries(line) == ["各设区市", "县（市、区）政协", "各设区市", "办公厅"]
    assert split_entries(line, ["各设区市", "各设区市、县（市、区）政协"]) == [
        "各设区市、县（市、区）政协",
        "各设区市",
        "办公厅",
    ]


# Access: only 发行 and superusers


@pytest.fixture
def recorded(recipients, publication, admin_user):
    return published_issue(publication, admin_user)


@pytest.mark.parametrize("role", ["编辑", "核稿", "签发"])
def test_record_pages_refused_to_editorial_roles(client, role_users, recorded, role):
    client.force_login(role_users[role])
    entry = recorded.distribution_entries.first()
    for url in [
        "/admin/issues/distributionentry/",
        f"/admin/issues/distributionentry/{entry.pk}/change/",
        "/admin/issues/distributionentry/add/",
        "/admin/issues/issuedistribution/",
        f"/admin/issues/issuedistribution/{recorded.distribution_record.pk}/change/",
    ]:
        assert client.get(url).status_code == 403, url
    page = client.get(f"/admin/issues/issue/{recorded.pk}/change/")
    assert page.status_code == 200
    assert "南宁市政协" not in page.content.decode()  # no inline for them
    response = client.post(
        "/admin/issues/issue/", {"action": "mark_sent", "_selected_action": [recorded.pk]}
    )
    assert response.status_code in (200, 302)
    assert IssueDistribution.objects.get(issue=recorded).corrected_by is None


@pytest.mark.parametrize("role", ["发行", "admin"])
def test_record_pages_open_to_distribution_staff(client, role_users, recorded, role):
    client.force_login(role_users[role])
    entry = recorded.distribution_entries.get(recipient="南宁市政协")
    assert (
        client.get(f"/admin/issues/distributionentry/?issue__id__exact={recorded.pk}").status_code
        == 200
    )
    assert client.get(f"/admin/issues/distributionentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/issues/issuedistribution/").status_code == 200
    page = client.get(f"/admin/issues/issue/{recorded.pk}/change/")
    assert page.status_code == 200 and "南宁市政协" in page.content.decode()


def test_distribution_staff_correct_a_record_and_mark_sent(
    client, role_users, recorded, publication
):
    user = role_users["发行"]
    client.force_login(user)
    entry = recorded.distribution_entries.get(recipient="南宁市政协")
    data = {
        "issue": recorded.pk, "order": entry.order, "group_name": entry.group_name,
        "recipient": entry.recipient, "copies": 4, "postal_address": entry.postal_address,
        "postcode": entry.postcode, "contact": "", "phone": "", "position": "",
    }  # fmt: skip
    response = client.post(f"/admin/issues/distributionentry/{entry.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert (entry.copies, entry.corrected_by) == (4, user) and entry.corrected_at
    record = IssueDistribution.objects.get(issue=recorded)
    assert record.corrected_by == user and record.recorded_by != user

    fresh = Issue.objects.create(publication=publication, year=2025, number=1)
    response = client.post(
        "/admin/issues/issue/", {"action": "mark_sent", "_selected_action": [fresh.pk]}
    )
    assert response.status_code == 302
    record = IssueDistribution.objects.get(issue=fresh)
    assert (record.source, record.recorded_by) == (IssueDistribution.Source.SENT, user)
    assert fresh.distribution_entries.count() == 5
