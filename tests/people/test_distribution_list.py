"""The current distribution list and the 发： line printed from its groups."""

import pytest

from people.distribution_list import (
    active_groups,
    current_distribution_line,
    current_recipients,
    distribution_line_for,
)
from tests.factories import RecipientFactory, RecipientGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    leaders = RecipientGroupFactory(name="自治区政协领导")
    for name in ("主席", "副主席"):
        RecipientFactory(group=RecipientGroupFactory(name=name, parent=leaders))
    cities = RecipientGroupFactory(name="各市（县）区政协")
    RecipientFactory(group=RecipientGroupFactory(name="各设区市、县（市、区）政协", parent=cities))
    offices = RecipientGroupFactory(name="自治区政协机关各处室")
    RecipientFactory(group=offices)
    return leaders, cities, offices


def test_clauses_series_and_a_heading_that_is_only_a_heading(tree):
    assert distribution_line_for(active_groups()) == (
        "主席、副主席；各设区市、县（市、区）政协；自治区政协机关各处室。"
    )


def test_a_group_with_recipients_of_its_own_is_named_before_its_subgroups(tree):
    _, cities, _ = tree
    RecipientFactory(group=cities, addressee="南宁市政协")

    assert current_distribution_line() == (
        "主席、副主席；各市（县）区政协、各设区市、县（市、区）政协；自治区政协机关各处室。"
    )


def test_inactive_groups_and_what_is_under_them_are_left_out(tree):
    leaders, _, _ = tree
    leaders.is_active = False
    leaders.save()

    assert current_distribution_line() == "各设区市、县（市、区）政协；自治区政协机关各处室。"
    assert {r.group.name for r in current_recipients()} == {
        "各设区市、县（市、区）政协",
        "自治区政协机关各处室",
    }
