"""The people admin: searching people and the distribution list."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_person_search_shows_the_matching_people_only(editor_client):
    factories.PersonFactory(name="张伟", organisation=factories.OrganisationFactory())
    factories.PersonFactory(name="李娜")

    response = editor_client.get(reverse("admin:people_person_changelist"), {"q": "张"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "张伟" in content
    assert "李娜" not in content


def test_recipient_search_shows_the_matching_recipients_only(editor_client):
    factories.RecipientFactory(addressee="第一收件单位")
    factories.RecipientFactory(addressee="自治区政协办公厅")

    response = editor_client.get(reverse("admin:people_recipient_changelist"), {"q": "收件"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "第一收件单位" in content
    assert "自治区政协办公厅" not in content


# --- The distribution list: group tree, totals, filters, actions ---------------------------

from people.models import Recipient, RecipientGroup  # noqa: E402


def _list(client, name, params=None):
    response = client.get(reverse(f"admin:people_{name}_changelist"), params or {})
    assert response.status_code == 200
    return response


def test_a_group_is_added_and_moved_in_the_tree(editor_client):
    leaders = factories.RecipientGroupFactory(name="自治区政协领导")
    cities = factories.RecipientGroupFactory(name="各设区市政协")

    response = editor_client.post(
        reverse("admin:people_recipientgroup_add"),
        {
            "name": "各专门委员会",
            "parent": leaders.pk,
            "description": "",
            "is_active": "on",
            "recipients-TOTAL_FORMS": "0",
            "recipients-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    committees = RecipientGroup.objects.get(name="各专门委员会")
    assert committees.parent == leaders

    # What the drag and drop of DraggableMPTTAdmin posts.
    response = editor_client.post(
        reverse("admin:people_recipientgroup_changelist"),
        {
            "cmd": "move_node",
            "cut_item": committees.pk,
            "pasted_on": cities.pk,
            "position": "last-child",
        },
    )
    assert response.status_code == 200
    committees.refresh_from_db()
    assert committees.parent == cities
    cities.refresh_from_db()
    assert [g.name for g in cities.get_descendants()] == ["各专门委员会"]


def test_group_tree_shows_totals_over_the_subtree_and_overall(editor_client):
    top = factories.RecipientGroupFactory(name="各市县政协")
    child = factories.RecipientGroupFactory(name="南宁市", parent=top)
    other = factories.RecipientGroupFactory(name="自治区政协领导")
    factories.RecipientFactory(group=top, copies=2)
    factories.RecipientFactory(group=child, copies=3)
    factories.RecipientFactory(group=child, copies=4)
    factories.RecipientFactory(group=child, copies=50, is_active=False)  # not counted
    factories.RecipientFactory(group=other, copies=1)

    response = _list(editor_client, "recipientgroup")

    rows = {g.name: g for g in response.context["cl"].result_list}
    assert (rows["各市县政协"].subtree_recipients, rows["各市县政协"].subtree_copies) == (3, 9)
    assert (rows["南宁市"].subtree_recipients, rows["南宁市"].subtree_copies) == (2, 7)
    assert (rows["自治区政协领导"].subtree_recipients, rows["自治区政协领导"].subtree_copies) == (
        1,
        1,
    )
    content = response.content.decode()
    assert "有效收件人 <strong>4</strong> 个，共 <strong>10</strong> 份" in content
    assert "暂停寄送 1 个" in content
    assert "收件人（含下级）" in content


def test_recipient_list_shows_overall_totals(editor_client):
    factories.RecipientFactory(copies=2)
    factories.RecipientFactory(copies=5)

    content = _list(editor_client, "recipient").content.decode()

    assert "有效收件人 <strong>2</strong> 个，共 <strong>7</strong> 份" in content
    assert "导入名单" in content


def test_recipients_in_a_group_go_by_order_then_pinyin(editor_client):
    group = factories.RecipientGroupFactory()
    factories.RecipientFactory(group=group, addressee="张家", order=0)
    factories.RecipientFactory(group=group, addressee="最后", order=5)
    factories.RecipientFactory(
        group=group, addressee="", person=factories.PersonFactory(name="李明"), order=0
    )
    factories.RecipientFactory(group=group, addressee="安宁", order=0)

    names = [r.display_name for r in _list(editor_client, "recipient").context["cl"].result_list]

    assert names == ["安宁", "李明", "张家", "最后"]


def test_recipient_filters(editor_client):
    top = factories.RecipientGroupFactory(name="甲组")
    sub = factories.RecipientGroupFactory(name="甲组下级", parent=top)
    other = factories.RecipientGroupFactory(name="乙组")
    in_sub = factories.RecipientFactory(group=sub, addressee="下级单位", postal_address="南宁市")
    no_address = factories.RecipientFactory(group=top, addressee="无地址单位", postal_address="")
    stopped = factories.RecipientFactory(group=other, addressee="停寄单位", is_active=False)

    def shown(params):
        return {r.pk for r in _list(editor_client, "recipient", params).context["cl"].result_list}

    assert shown({"group__id__inhierarchy": top.pk}) == {in_sub.pk, no_address.pk}
    assert shown({"is_active__exact": "0"}) == {stopped.pk}
    assert shown({"has_address": "no"}) == {no_address.pk, stopped.pk}
    assert shown({"has_address": "yes"}) == {in_sub.pk}
    assert shown({"q": "南宁"}) == {in_sub.pk}


def test_activate_and_deactivate_actions(editor_client):
    first = factories.RecipientFactory()
    second = factories.RecipientFactory()
    url = reverse("admin:people_recipient_changelist")

    response = editor_client.post(
        url, {"action": "deactivate", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert not Recipient.objects.filter(is_active=True).exists()

    editor_client.post(url, {"action": "activate", "_selected_action": [first.pk]})
    assert set(Recipient.objects.filter(is_active=True)) == {first}


def test_copies_are_edited_in_the_list(editor_client):
    recipient = factories.RecipientFactory(copies=1)
    url = reverse("admin:people_recipient_changelist")

    response = editor_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": recipient.pk,
            "form-0-order": "0",
            "form-0-copies": "6",
            "form-0-is_active": "on",
            "_save": "保存",
        },
    )

    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.copies == 6


def test_group_page_lists_its_recipients_inline_in_order(editor_client):
    group = factories.RecipientGroupFactory()
    factories.RecipientFactory(group=group, addressee="张家", copies=7)
    factories.RecipientFactory(group=group, addressee="安宁")
    factories.RecipientFactory(addressee="别组单位")

    response = editor_client.get(reverse("admin:people_recipientgroup_change", args=[group.pk]))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.addressee for form in formset.forms] == ["安宁", "张家"]
