import pytest
from django.test import Client

from core.models import Employer
from employment import errors
from tests.employment import support
from tests.factories import file_case

pytestmark = pytest.mark.django_db


def test_it_flags_the_employer_of_the_same_uscc_closed():
    case = file_case(employer="襄汾县示例焦化有限公司")
    employer = case.employer
    employer.uscc = "91141023MA0L2X5D3C"
    employer.save()
    plant = support.plant(support.county())
    employer.refresh_from_db()
    assert plant.employer_id == employer.pk
    assert employer.closed_under_policy


def test_it_creates_the_employer_when_none_has_the_uscc():
    plant = support.plant(support.county())
    assert Employer.objects.get(uscc=plant.uscc).closed_under_policy


def test_it_refuses_a_bad_uscc_and_a_second_registration():
    county = support.county()
    with pytest.raises(errors.InvalidInput) as caught:
        support.plant(county, uscc="91141023MA0L2X5D3X")
    assert "uscc" in caught.value.errors
    support.plant(county)
    with pytest.raises(errors.Conflict):
        support.plant(county)


def test_it_shows_the_plants_open_cases_beside_its_roster():
    case = file_case(employer="襄汾县示例焦化有限公司")
    Employer.objects.filter(pk=case.employer_id).update(uscc="91141023MA0L2X5D3C")
    county = support.county()
    plant = support.plant(county)
    c = Client()
    c.force_login(county)
    assert case.number in c.get(f"/employment/plants/{plant.pk}/").content.decode()
