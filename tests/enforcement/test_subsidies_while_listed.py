"""Subsidies read the list as before, through Employer.blacklisted_until: refused while
the employer is listed, allowed again after the entry expired."""

import datetime as dt

import pytest
from django.utils import timezone

from enforcement import services
from tests.enforcement.support import listed, ordered_case
from tests.workflows.support import client_for, payload, person, rule, submit, uscc_for

pytestmark = pytest.mark.django_db


def test_a_listed_employer_is_refused_and_allowed_after_expiry(people):
    case = ordered_case(people)
    case.employer.uscc = uscc_for(7)
    case.employer.save()
    today = timezone.localdate()
    entry = listed(people, case=case, today=today)
    reviewer = client_for(_reviewer())
    refused = submit(reviewer, payload(uscc_index=7))
    assert refused["state"] == "rejected"
    assert rule(refused, "not_blacklisted")["passed"] is False

    services.blacklist_expire_due(today=entry.listed_until + dt.timedelta(days=1))
    allowed = submit(reviewer, payload(uscc_index=7, beneficiaries=[person(2)]))
    assert rule(allowed, "not_blacklisted")["passed"] is True
    assert allowed["state"] == "township_review"


def _reviewer():
    from tests.factories import staff

    return staff("township1", "township_reviewer")
