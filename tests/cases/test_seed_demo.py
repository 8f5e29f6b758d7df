"""seed_demo: demo users, employers and cases in every state, safe to run twice."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum.cn import ric, uscc

from cases.models import Case, CaseEvent, CaseState, Claim
from core import roles
from core.models import Employer, Person, StaffProfile, Township
from demo import enforcement as demo_enforcement

PASSWORD = "demo-pass-2024"

# username -> (group, township code or None for county level)
EXPECTED_USERS = {
    "inspector1": (roles.INSPECTOR, "xincheng"),
    "inspector1b": (roles.INSPECTOR, "xincheng"),
    "mediator1": (roles.MEDIATOR, "xincheng"),
    "arbitrator1": (roles.ARBITRATOR, "xincheng"),
    "inspector2": (roles.INSPECTOR, "zhaokang"),
    "inspector2b": (roles.INSPECTOR, "zhaokang"),
    "mediator2": (roles.MEDIATOR, "zhaokang"),
    "arbitrator2": (roles.ARBITRATOR, "zhaokang"),
    "supervisor": (roles.SUPERVISOR, None),
    "township1": (roles.TOWNSHIP_REVIEWER, "xincheng"),
    "township1b": (roles.TOWNSHIP_REVIEWER, "xincheng"),
    "county": (roles.COUNTY_REVIEWER, None),
    "finance": (roles.FINANCE, None),
    "screen": (roles.SCREEN, None),
    "admin": (roles.ADMINISTRATOR, None),
}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(password=PASSWORD, cases=60):
    out = StringIO()
    call_command("seed_demo", "--password", password, "--cases", str(cases), stdout=out)
    return out.getvalue()


def counts():
    User = get_user_model()
    models = [User, StaffProfile, Township, Employer, Person, Case, Claim, CaseEvent]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_it_creates_the_demo_users_with_their_roles_and_townships():
    seed()
    User = get_user_model()
    for username, (group, township) in EXPECTED_USERS.items():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [group], username
        assert user.check_password(PASSWORD), username
        profile = user.staff_profile
        codes = list(profile.townships.values_list("code", flat=True))
        assert codes == ([township] if township else []), username
        assert profile.county_level is (township is None), username
        assert user.is_staff is (username == "admin"), username
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_it_reaches_every_case_state_through_the_services():
    output = seed()
    states = set(Case.objects.filter(is_demo=True).values_list("state", flat=True))
    assert states == set(CaseState.values)
    # 60 cases, and one for each demo blacklist entry (demo/enforcement.py)
    assert Case.objects.filter(is_demo=True).count() == 60 + len(demo_enforcement.EMPLOYERS)
    assert Case.objects.filter(is_demo=True, is_collective=True).exists()
    # Every case has its filing event; moved cases have one event per transition.
    assert not Case.objects.filter(events__isnull=True).exists()
    assert CaseEvent.objects.filter(transition="file").count() == 60 + len(
        demo_enforcement.EMPLOYERS
    )
    assert CaseEvent.objects.exclude(transition="file").exists()
    assert "closed" in output and PASSWORD in output


@pytest.mark.django_db
def test_it_creates_valid_demo_employers_and_workers():
    seed()
    employers = Employer.objects.filter(is_demo=True)
    assert 20 <= employers.count() <= 30
    assert any(employer.is_blacklisted() for employer in employers)
    assert employers.filter(state_owned_or_government_project=True).exists()
    assert employers.filter(closed_under_policy=True, sector="steel_coke").exists()
    assert all(uscc.is_valid(employer.uscc) for employer in employers)
    assert all(ric.is_valid(person.id_number) for person in Person.objects.all())


@pytest.mark.django_db
def test_it_changes_no_counts_when_run_twice():
    seed()
    before = counts()
    output = seed(password="another-pass-99")
    assert counts() == before
    assert "already exist" in output
    # The second run resets the passwords.
    assert get_user_model().objects.get(username="inspector1").check_password("another-pass-99")
