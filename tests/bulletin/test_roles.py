import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from bulletin.roles import ROLES

pytestmark = pytest.mark.django_db


def permission_names(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_setup_roles_creates_the_four_groups_with_their_permissions():
    call_command("setup_roles")

    assert set(Group.objects.values_list("name", flat=True)) == {"编辑", "核稿", "签发", "发行"}
    for name, codenames in ROLES.items():
        assert permission_names(name) == set(codenames)


def test_setup_roles_is_idempotent():
    call_command("setup_roles")
    before = {name: permission_names(name) for name in ROLES}

    call_command("setup_roles")

    assert Group.objects.count() == 4
    assert {name: permission_names(name) for name in ROLES} == before


def test_setup_roles_repairs_a_group_edited_by_hand():
    call_command("setup_roles")
    editors = Group.objects.get(name="编辑")
    expected = permission_names("编辑")
    editors.permissions.clear()

    call_command("setup_roles")

    assert permission_names("编辑") == expected


def test_only_the_approver_may_sign_off_issues():
    call_command("setup_roles")

    assert "issues.approve_issue" in permission_names("签发")
    assert "issues.approve_issue" not in permission_names("编辑")
    assert "issues.approve_issue" not in permission_names("核稿")


def test_editors_work_on_articles_and_distribution_staff_on_recipients():
    call_command("setup_roles")

    assert "articles.change_article" in permission_names("编辑")
    assert "people.view_recipient" not in permission_names("编辑")
    assert "people.change_recipient" in permission_names("发行")
    assert "articles.view_article" not in permission_names("发行")
