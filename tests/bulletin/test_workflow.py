"""The workflow's rules (bulletin/workflow.py) and the roles that hold its rights."""

import pytest
from django.core.exceptions import PermissionDenied

from bulletin.roles import ROLES
from bulletin.workflow import (
    EDIT_PERMISSION,
    TRANSITIONS,
    Status,
    WorkflowError,
    available,
    check_may_run,
    may_edit,
)

pytestmark = pytest.mark.django_db


def test_every_state_has_an_edit_rule_and_every_right_a_role():
    assert set(EDIT_PERMISSION) == set(Status.values)
    granted = {permission for permissions in ROLES.values() for permission in permissions}
    rights = {t.permission for t in TRANSITIONS.values()} | set(EDIT_PERMISSION.values())
    assert rights <= granted


def test_every_state_but_published_leads_somewhere_and_published_can_be_withdrawn():
    for status in Status.values:
        assert any(status in t.sources and t.target != status for t in TRANSITIONS.values())


@pytest.mark.parametrize(
    ("role", "status", "expected"),
    [
        ("编辑", Status.DRAFT, ["submit"]),
        ("编辑", Status.PROOFING, []),
        ("核稿", Status.PROOFING, ["pass", "return"]),
        ("核稿", Status.CHECKED, []),
        ("签发", Status.CHECKED, ["approve", "send_back"]),
        ("签发", Status.APPROVED, ["send_back", "publish", "schedule", "unschedule"]),
        ("签发", Status.PUBLISHED, ["unpublish"]),
        ("签发", Status.DRAFT, []),
        ("发行", Status.DRAFT, []),
        ("发行", Status.APPROVED, []),
    ],
)
def test_buttons_each_role_gets(role_users, role, status, expected):
    assert [t.name for t in available(role_users[role], status)] == expected


@pytest.mark.parametrize(
    ("role", "editable"),
    [
        ("编辑", {Status.DRAFT}),
        ("核稿", {Status.PROOFING}),
        ("签发", {Status.CHECKED, Status.APPROVED, Status.PUBLISHED}),
        ("发行", set()),
        ("admin", set(Status.values)),
    ],
)
def test_who_may_edit_in_which_state(role_users, role, editable):
    assert {s for s in Status.values if may_edit(role_users[role], s)} == editable


def test_a_person_with_two_roles_has_both(role_users):
    user = role_users["编辑"]
    user.groups.add(*role_users["核稿"].groups.all())
    user = type(user).objects.get(pk=user.pk)  # permissions are cached per instance

    assert may_edit(user, Status.DRAFT) and may_edit(user, Status.PROOFING)
    assert [t.name for t in available(user, Status.PROOFING)] == ["pass", "return"]


def test_refusals_say_why(role_users):
    with pytest.raises(PermissionDenied):
        check_may_run(role_users["编辑"], TRANSITIONS["approve"], Status.CHECKED)
    with pytest.raises(WorkflowError, match="当前状态为“草稿”，不能“签发”"):
        check_may_run(role_users["签发"], TRANSITIONS["approve"], Status.DRAFT)
    check_may_run(None, TRANSITIONS["approve"], Status.CHECKED)  # the system is trusted
