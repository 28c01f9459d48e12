import pytest

from people.models import Organisation, Person
from people.services import get_or_create_by_name
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


class TestPersonByName:
    def test_finds_the_person_whatever_the_print_padding(self):
        wu_ning = PersonFactory(name="吴宁")

        match = get_or_create_by_name(name="吴 宁")

        assert match == (wu_ning, False, False)
        assert Person.objects.count() == 1

    def test_creates_a_person_not_yet_known(self):
        match = get_or_create_by_name(name="艾粤敏")

        assert match.created and not match.ambiguous
        assert Person.objects.get() == match.found
        assert match.found.name == "艾粤敏"

    def test_takes_the_oldest_of_several_namesakes_and_says_so(self):
        oldest = PersonFactory(name="李华")
        PersonFactory(name="李华")

        match = get_or_create_by_name(name="李华")

        assert match == (oldest, False, True)
        assert Person.objects.count() == 2


class TestOrganisationByName:
    def test_finds_the_organisation(self):
        found = OrganisationFactory(name="政协西安市委员会")

        assert get_or_create_by_name(name="政协西安市委员会", organisation=True) == (
            found, False, False,
        )  # fmt: skip

    def test_creates_an_organisation_not_yet_known(self):
        match = get_or_create_by_name(name="某县政协办公室", organisation=True)

        assert match.created
        assert Organisation.objects.get() == match.found
        assert not Person.objects.exists()

    def test_several_of_the_same_name_are_ambiguous(self):
        oldest = OrganisationFactory(name="办公室")
        OrganisationFactory(name="办公室")

        match = get_or_create_by_name(name="办公室", organisation=True)

        assert match == (oldest, False, True)
