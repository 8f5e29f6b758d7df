"""An inspector of the case's township proposes an employer for the blacklist, only when
the case meets the conditions; otherwise the refusal says what is missing."""

import datetime as dt

import pytest

from enforcement import errors, services
from enforcement.models import BlacklistEvent, EntryState
from tests.enforcement.support import AFTER, DAY0, PAY_BY, ordered_case, proposed
from tests.factories import claimant

pytestmark = pytest.mark.django_db


def propose(people, case, who="inspector", today=AFTER):
    return services.blacklist_propose(
        case_number=case.number, actor=people[who], reasons="逾期拒不支付", today=today
    )


def test_it_proposes_when_the_order_was_ignored_and_the_amount_reached(people):
    entry = proposed(people)
    assert entry.state == EntryState.PROPOSED
    codes = [c["code"] for c in entry.criteria_met]
    assert codes == ["order_ignored", "wage_refusal_amount"]
    assert "仍欠8,000.00元" in entry.criteria_met[0]["detail"]
    event = BlacklistEvent.objects.get(entry=entry)
    assert (event.action, event.to_state, event.actor) == (
        "propose",
        "proposed",
        people["inspector"],
    )
    entry.employer.refresh_from_db()
    assert entry.employer.blacklisted_until is None  # a proposal lists nobody


def test_it_refuses_before_the_order_s_day_has_passed_and_says_why(people):
    case = ordered_case(people)
    with pytest.raises(errors.Conflict) as refused:
        propose(people, case, today=PAY_BY)
    assert refused.value.message.startswith(errors.CRITERIA_NOT_MET)
    assert "尚未届满" in refused.value.message


def test_it_refuses_when_the_employer_paid_within_the_order(people):
    case = ordered_case(people, pay=("8000.00", DAY0 + dt.timedelta(days=10)))
    with pytest.raises(errors.Conflict) as refused:
        propose(people, case)
    assert "已在限期支付日2026年3月22日前付清" in refused.value.message


def test_it_refuses_below_the_276_1_amount_without_an_incident(people):
    case = ordered_case(people, claimants=[claimant(0, amount="3000.00", months=2)])
    with pytest.raises(errors.Conflict) as refused:
        propose(people, case)
    missing = refused.value.errors["criteria"]
    assert len(missing) == 1
    assert "未达到数额标准" in missing[0] and "没有群体性事件或极端事件" in missing[0]


def test_an_incident_recorded_on_the_case_stands_in_for_the_amount(people):
    case = ordered_case(
        people, claimants=[claimant(0, amount="3000.00", months=2)], note="工人扬言跳楼讨薪"
    )
    entry = propose(people, case)
    assert [c["code"] for c in entry.criteria_met] == ["order_ignored", "incident"]
    assert "跳楼" in entry.criteria_met[1]["detail"]


def test_a_late_payment_does_not_undo_the_ignored_order(people):
    case = ordered_case(people, pay=("8000.00", DAY0 + dt.timedelta(days=25)))
    entry = propose(people, case)
    assert entry.state == EntryState.PROPOSED


def test_only_an_inspector_of_the_case_s_township_proposes(people):
    case = ordered_case(people)
    with pytest.raises(errors.Forbidden, match=errors.PROPOSE_ROLE):
        propose(people, case, who="mediator")
    with pytest.raises(errors.Forbidden, match=errors.PROPOSE_ROLE):
        propose(people, case, who="supervisor")
    with pytest.raises(errors.NotFound):  # another township's case is out of reach
        propose(people, case, who="other_township")


def test_a_case_is_proposed_once_while_its_entry_is_open(people):
    case = ordered_case(people)
    propose(people, case)
    with pytest.raises(errors.Conflict, match=errors.ALREADY_ACTIVE):
        propose(people, case)


def test_reasons_are_required(people):
    case = ordered_case(people)
    with pytest.raises(errors.InvalidInput, match=errors.REASONS_REQUIRED):
        services.blacklist_propose(
            case_number=case.number, actor=people["inspector"], reasons="  ", today=AFTER
        )
