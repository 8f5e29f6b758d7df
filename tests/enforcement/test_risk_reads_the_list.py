"""The risk score reads the list as before (Employer.blacklisted_until): a listed
employer's case carries the employer-history factor, and after expiry only the ignored
order remains of it."""

import datetime as dt

import pytest

from enforcement import services
from notifications.risk import score_case
from tests.enforcement.support import AFTER, listed

pytestmark = pytest.mark.django_db


def history(case, today):
    case.employer.refresh_from_db()
    factors = score_case(case, today=today).factors
    return next((f["label"] for f in factors if f["code"] == "employer_history"), "")


def test_the_score_follows_the_listing(people):
    entry = listed(people)
    assert "列入欠薪黑名单" in history(entry.case, AFTER)
    after = entry.listed_until + dt.timedelta(days=1)
    services.blacklist_expire_due(today=after)
    assert "列入欠薪黑名单" not in history(entry.case, after)
