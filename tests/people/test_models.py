import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Person, Recipient
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RecipientFactory,
    RecipientGroupFactory,
)

pytestmark = pytest.mark.django_db


class TestPerson:
    def test_name_pinyin_is_filled_on_save(self):
        person = PersonFactory(name="黄远声")

        person.refresh_from_db()
        assert person.name_pinyin == "huang yuan sheng"

    def test_surnames_with_special_readings(self):
        assert PersonFactory(name="曾明").name_pinyin == "zeng ming"
        assert PersonFactory(name="覃华").name_pinyin == "qin hua"

    def test_print_padding_is_removed_from_the_name(self):
        person = PersonFactory(name="吴 宁")

        person.refresh_from_db()
        assert person.name == "吴宁"
        assert Person.objects.named("吴 宁").get() == person

    def test_list_is_ordered_by_pinyin_with_surname_readings(self):
        for name in ["张伟", "曾明", "吴宁", "艾青", "覃华", "白云"]:
            PersonFactory(name=name)

        names = list(Person.objects.values_list("name", flat=True))

        # ai, bai, qin (覃), wu, zeng (曾), zhang: 曾 and 覃 sort by their surname readings,
        # not as "ceng" and "tan".
        assert names == ["艾青", "白云", "覃华", "吴宁", "曾明", "张伟"]

    def test_absolute_url(self):
        person = PersonFactory()

        assert person.get_absolute_url() == f"/authors/{person.pk}/"


class TestOrganisation:
    def test_tree_descendants(self):
        root = OrganisationFactory(name="自治区政协")
        office = OrganisationFactory(name="自治区政协办公厅", parent=root)
        division = OrganisationFactory(name="秘书处", parent=office)
        other = OrganisationFactory(name="南宁市政协")

        root.refresh_from_db()
        office.refresh_from_db()
        assert list(root.get_descendants()) == [office, division]
        assert list(office.get_descendants()) == [division]
        assert list(other.get_descendants()) == []
        assert division.get_ancestors().count() == 2

    def test_name_is_stripped_and_gets_a_pinyin_key(self):
        organisation = OrganisationFactory(name=" 政协西安市委员会 ")

        assert organisation.name == "政协西安市委员会"
        assert organisation.name_pinyin.startswith("zheng xie xi an shi")


class TestRecipientGroup:
    def test_tree_descendants(self):
        root = RecipientGroupFactory(name="发")
        leaders = RecipientGroupFactory(name="自治区政协领导", parent=root)
        cities = RecipientGroupFactory(name="各市（县）区政协", parent=root)
        nanning = RecipientGroupFactory(name="南宁市", parent=cities)

        root.refresh_from_db()
        cities.refresh_from_db()
        assert set(root.get_descendants()) == {leaders, cities, nanning}
        assert list(cities.get_descendants()) == [nanning]
        assert list(root.get_children()) == [leaders, cities]


class TestRecipient:
    def test_needs_an_organisation_person_or_addressee_in_the_database(self):
        group = RecipientGroupFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Recipient.objects.create(group=group, addressee="")

    def test_needs_an_organisation_person_or_addressee_in_the_form(self):
        recipient = Recipient(group=RecipientGroupFactory(), addressee="")

        with pytest.raises(ValidationError) as excinfo:
            recipient.full_clean()

        assert "请选择单位或个人，或填写收件人。" in excinfo.value.messages

    @pytest.mark.parametrize(
        "who",
        [
            lambda: {"organisation": OrganisationFactory()},
            lambda: {"person": PersonFactory()},
            lambda: {"addressee": "自治区政协机关各处室"},
        ],
        ids=["organisation", "person", "addressee"],
    )
    def test_any_one_of_them_is_enough(self, who):
        recipient = Recipient(group=RecipientGroupFactory(), **who())

        recipient.full_clean()
        recipient.save()

        assert recipient.display_name

    def test_copies_must_be_at_least_one(self):
        recipient = RecipientFactory.build(group=RecipientGroupFactory(), copies=0)

        with pytest.raises(ValidationError) as excinfo:
            recipient.full_clean()

        assert "份数至少为1。" in excinfo.value.messages

    @pytest.mark.parametrize("postcode", ["53000", "5300001", "53000a", "邮编530000"])
    def test_postcode_must_be_six_digits(self, postcode):
        recipient = RecipientFactory.build(group=RecipientGroupFactory(), postcode=postcode)

        with pytest.raises(ValidationError) as excinfo:
            recipient.full_clean()

        assert "postcode" in excinfo.value.error_dict

    @pytest.mark.parametrize("postcode", ["530000", ""])
    def test_valid_or_empty_postcode_is_accepted(self, postcode):
        recipient = RecipientFactory.build(group=RecipientGroupFactory(), postcode=postcode)

        recipient.full_clean()

    def test_display_name_prefers_addressee_then_person_then_organisation(self):
        person = PersonFactory(name="黄远声")
        organisation = OrganisationFactory(name="南宁市政协")
        group = RecipientGroupFactory()

        assert str(RecipientFactory(group=group, addressee="各处室", person=person)) == "各处室"
        assert str(RecipientFactory(group=group, addressee="", person=person)) == "黄远声"
        assert (
            str(RecipientFactory(group=group, addressee="", organisation=organisation))
            == "南宁市政协"
        )
