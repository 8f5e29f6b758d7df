"""The statutory conditions inside transitions, and the clocks they move."""

import datetime as dt

import pytest

from cases import errors, filing
from cases.models import CaseState
from tests.cases.test_transitions import (
    ACCEPT_LD,
    ACCEPT_WA,
    DAY0,
    HEAR,
    ORDER,
    SCHEDULE,
    TO_HEARING,
    prepare,
    run,
)
from tests.factories import claimant

S = CaseState


def at(days):
    return DAY0 + dt.timedelta(days=days)


def test_it_orders_payment_only_after_hearing_the_employer(people):
    case = prepare("wage_arrears", [ACCEPT_WA], people)

    with pytest.raises(errors.Conflict, match=errors.EMPLOYER_NOT_HEARD):
        run(ORDER, case, people)


def test_it_needs_two_inspectors_to_accept(people):
    case = prepare("wage_arrears", [], people)

    with pytest.raises(errors.InvalidInput) as raised:
        run(("accept", "inspector", lambda c: {"inspectors": ["insp_a"]}, 1), case, people)

    assert "inspectors" in raised.value.errors


def test_it_refuses_inspectors_of_another_township(people):
    case = prepare("wage_arrears", [], people)

    with pytest.raises(errors.InvalidInput) as raised:
        run(
            ("accept", "inspector", lambda c: {"inspectors": ["insp_a", "insp_z"]}, 1), case, people
        )

    assert "inspectors" in raised.value.errors


def test_it_penalizes_only_after_the_pay_by_date(people):
    case = prepare("wage_arrears", [ACCEPT_WA, HEAR, ORDER], people)

    with pytest.raises(errors.Conflict, match=errors.PAY_BY_NOT_PASSED):
        run(("penalize", "inspector", lambda c: {"compensation_percent": 80}, 19), case, people)


def test_it_keeps_additional_compensation_between_50_and_100_percent(people):
    case = prepare("wage_arrears", [ACCEPT_WA, HEAR, ORDER], people)

    with pytest.raises(errors.InvalidInput):
        run(("penalize", "inspector", lambda c: {"compensation_percent": 120}, 30), case, people)


def test_it_refuses_police_transfer_below_the_threshold_for_an_inspector(people):
    case = prepare("wage_arrears", [ACCEPT_WA], people)
    small = case.claims.first()
    small.months_owed = 1
    small.save()

    with pytest.raises(errors.Forbidden, match=errors.THRESHOLD_NOT_MET):
        run(("transfer_to_police", "inspector", lambda c: {}, 5), case, people)


def test_it_lets_a_supervisor_override_the_threshold_with_a_reason(people):
    case = prepare("wage_arrears", [ACCEPT_WA], people)
    case.claims.update(months_owed=1)

    with pytest.raises(errors.InvalidInput):
        run(("transfer_to_police", "supervisor", lambda c: {}, 5), case, people)
    case = run(
        ("transfer_to_police", "supervisor", lambda c: {"override_reason": "转移财产逃匿"}, 5),
        case,
        people,
    )

    assert case.state == S.TRANSFERRED
    assert case.outcome["override_reason"] == "转移财产逃匿"


def test_it_meets_the_collective_threshold_with_ten_workers(people):
    workers = [claimant(i, amount="3500.00", months=1, representative=i < 3) for i in range(10)]
    case = prepare("wage_arrears", [], people)
    case = filing.complaint_file(
        kind="wage_arrears",
        employer_name="集体欠薪公司",
        township=case.township,
        claimants=workers,
        description="十人欠薪",
    ).case
    case = run(ACCEPT_WA, case, people)

    case = run(("transfer_to_police", "inspector", lambda c: {}, 5), case, people)

    assert case.is_collective
    assert case.outcome["police_threshold_met"] is True


def test_it_extends_an_investigation_once_by_30_working_days(people):
    case = prepare("wage_arrears", [ACCEPT_WA], people)
    base = case.deadline

    case = run(("extend_investigation", "supervisor", lambda c: {"note": "复杂"}, 40), case, people)

    # 60 working days from 2026-03-03 (Qingming and May Day skipped, the make-up
    # Saturday 05-09 counted), then 30 more across the Dragon Boat holiday (06-19).
    assert base == dt.date(2026, 5, 29)
    assert case.deadline == dt.date(2026, 7, 13)
    with pytest.raises(errors.Conflict, match=errors.ALREADY_EXTENDED):
        run(("extend_investigation", "supervisor", lambda c: {"note": "再延"}, 41), case, people)


def test_it_runs_the_award_clock_from_acceptance_and_pauses_it_while_suspended(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING], people)
    assert case.deadline == dt.date(2026, 4, 17)  # 2026-03-03 + 45 days, a Friday

    case = run(
        ("suspend", "arbitrator", lambda c: {"note": "当事人丧失行为能力"}, 10), case, people
    )
    assert case.state == S.SUSPENDED
    assert case.deadline is None

    case = run(("resume", "arbitrator", lambda c: {}, 20), case, people)
    assert case.state == S.HEARING
    # 10 days paused (2026-03-13 .. 2026-03-22): 45 + 10 -> 2026-04-27, a Monday.
    assert case.deadline == dt.date(2026, 4, 27)


def test_it_restarts_the_award_clock_on_a_counterclaim(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING], people)

    case = run(
        ("restart_clock", "arbitrator", lambda c: {"reason_code": "counterclaim"}, 10), case, people
    )

    assert case.award_clock_started_on == at(10)
    assert case.deadline == dt.date(2026, 4, 27)  # 2026-03-12 + 45 = 2026-04-26 (Sunday) -> Monday


def test_it_extends_the_award_by_15_days_with_the_chairs_approval(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING], people)

    case = run(("extend_award", "supervisor", lambda c: {"note": "案情复杂"}, 40), case, people)

    assert case.deadline == dt.date(2026, 5, 6)  # 2026-04-17 + 15 = 05-02 (holiday) -> 05-06


def test_it_shows_the_tribunal_notice_deadline_until_the_tribunal_is_composed(people):
    case = prepare("labor_dispute", [ACCEPT_LD], people)
    assert (case.clock_stage, case.deadline) == ("tribunal_notice", dt.date(2026, 3, 9))

    case = run(
        ("compose_tribunal", "arbitrator", lambda c: {"arbitrators": ["arb"]}, 2), case, people
    )

    assert (case.clock_stage, case.deadline) == ("award", dt.date(2026, 4, 17))


def test_it_needs_five_days_notice_before_a_hearing(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING], people)

    with pytest.raises(errors.InvalidInput) as raised:
        run(("schedule_hearing", "arbitrator", lambda c: {"hearing_date": at(6)}, 3), case, people)

    assert "hearing_date" in raised.value.errors


def test_it_refuses_a_postponement_asked_less_than_three_days_before(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING, SCHEDULE], people)  # hearing at day 15

    with pytest.raises(errors.Conflict, match=errors.POSTPONE_TOO_LATE):
        run(
            (
                "postpone_hearing",
                "arbitrator",
                lambda c: {"hearing_date": at(30), "note": "晚"},
                13,
            ),
            case,
            people,
        )


def test_it_marks_award_items_final_up_to_twelve_months_of_minimum_wage(people):
    case = prepare("labor_dispute", [ACCEPT_LD, TO_HEARING], people)
    claim = case.claims.first().id
    items = [
        {"claim": claim, "item": "wages", "amount": "22560.00"},  # 12 x 1880: final
        {"claim": claim, "item": "compensation", "amount": "22560.01"},  # above: not final
        {"claim": claim, "item": "other", "amount": "100.00"},  # not a wage item
    ]

    case = run(("award", "arbitrator", lambda c: {"items": items}, 20), case, people)

    assert [i["final"] for i in case.outcome["award_items"]] == [True, False, False]


def test_it_tracks_settlement_instalments_until_paid(people):
    case = prepare("labor_dispute", [ACCEPT_LD], people)
    case = run(("start_mediation", "mediator", lambda c: {}, 2), case, people)
    instalments = [
        {"due_date": at(20), "amount": "3000.00"},
        {"due_date": at(50), "amount": "5000.00"},
    ]
    case = run(("settle", "mediator", lambda c: {"instalments": instalments}, 5), case, people)
    assert case.deadline == at(20)

    claim = case.claims.first().id
    case = run(
        (
            "record_payment",
            "mediator",
            lambda c: {"payments": [{"claim": claim, "amount": "3000"}]},
            18,
        ),
        case,
        people,
    )
    assert case.deadline == at(50)
    with pytest.raises(errors.Conflict, match=errors.INSTALMENTS_UNPAID):
        run(("close", "mediator", lambda c: {}, 19), case, people)

    case = run(
        (
            "record_payment",
            "mediator",
            lambda c: {"payments": [{"claim": claim, "amount": "5000"}]},
            45,
        ),
        case,
        people,
    )
    case = run(("close", "mediator", lambda c: {}, 46), case, people)
    assert case.state == S.CLOSED


def test_it_refuses_a_payment_above_what_is_owed(people):
    case = prepare("wage_arrears", [ACCEPT_WA, HEAR, ORDER], people)
    claim = case.claims.first().id

    with pytest.raises(errors.InvalidInput):
        run(
            (
                "record_payment",
                "inspector",
                lambda c: {"payments": [{"claim": claim, "amount": "9000"}]},
                10,
            ),
            case,
            people,
        )


def test_it_converts_a_wage_case_to_the_dispute_track_and_restarts_intake(people):
    case = prepare("wage_arrears", [ACCEPT_WA], people)

    case = run(("convert_track", "inspector", lambda c: {"note": "属于劳动争议"}, 3), case, people)

    assert (case.kind, case.state) == ("labor_dispute", S.SUBMITTED)
    assert case.clock_stage == "acceptance_dispute"
    assert case.deadline == dt.date(2026, 3, 10)  # 2026-03-05 + 5 calendar days
    assert not case.inspectors.exists()
    case = run(ACCEPT_LD, case, people)
    assert case.state == S.ACCEPTED


def test_it_restarts_the_acceptance_clock_when_supplement_arrives(people):
    case = prepare("wage_arrears", [], people)
    assert case.deadline == dt.date(2026, 3, 9)
    case = run(("request_supplement", "inspector", lambda c: {"note": "缺欠条"}, 1), case, people)
    assert case.deadline is None

    case = run(("receive_supplement", "inspector", lambda c: {}, 8), case, people)

    assert case.deadline == dt.date(2026, 3, 17)  # 5 working days after 2026-03-10
