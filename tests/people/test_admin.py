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
