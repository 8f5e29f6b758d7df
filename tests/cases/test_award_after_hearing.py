"""An award is made on or after the hearing day, never before (docs/domain.md, Hearing, award
and service); its document is dated the day it is made."""

import datetime as dt

import pytest

from cases import documents, errors
from cases.models import CaseState
from tests.cases.test_transitions import ACCEPT_LD, DAY0, SCHEDULE, TO_HEARING, prepare, run

HEARING_DAY = 15  # SCHEDULE sets the hearing 15 days after DAY0


def award_on(day, default=False):
    def data(case):
        claim = case.claims.first().id
        items = [{"claim": claim, "item": "wages", "amount": "8000.00"}]
        return {"items": items, "default_award": default}

    return ("award", "arbitrator", data, day)


def test_it_refuses_an_award_before_the_hearing_date(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING, SCHEDULE], people)
    hearing = DAY0 + dt.timedelta(days=HEARING_DAY)

    with pytest.raises(errors.Conflict) as refused:
        run(award_on(HEARING_DAY - 1), case, people)

    assert refused.value.message == errors.AWARD_BEFORE_HEARING.format(date=hearing)
    case.refresh_from_db()
    assert case.state == CaseState.HEARING and "award_items" not in case.outcome


def test_it_awards_on_the_hearing_day_and_dates_the_award_that_day(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING, SCHEDULE], people)

    case = run(award_on(HEARING_DAY), case, people)

    hearing = DAY0 + dt.timedelta(days=HEARING_DAY)
    assert case.state == CaseState.AWARDED
    assert case.outcome["awarded_on"] == hearing.isoformat()
    context = documents.context_for(case, "award")
    assert context["awarded_on"] == context["hearing_date"] == "2026年3月17日"


def test_it_refuses_a_default_award_without_a_hearing(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING], people)

    with pytest.raises(errors.Conflict, match=errors.DEFAULT_AWARD_WITHOUT_HEARING):
        run(award_on(20, default=True), case, people)
