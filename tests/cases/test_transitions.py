"""Every transition of both tracks: allowed, illegal from the wrong state, forbidden for
the wrong role or township, and the event row it leaves."""

import datetime as dt

import pytest

from cases import errors, service_guard, services
from cases.models import CaseEvent, CaseState
from tests.factories import file_case

S = CaseState
DAY0 = dt.date(2026, 3, 2)  # a Monday after the Spring Festival


@pytest.fixture(autouse=True)
def hearing_notices_served(monkeypatch):
    """The lifecycle on its own: the hearing notice counts as served (service itself,
    and the refusal without it: tests/notifications/test_service_guard.py)."""
    monkeypatch.setattr(service_guard, "hearing_notice_served", lambda case, party: True)


def first_claim(case):
    return case.claims.first().id


# Each step: (transition, actor key, data(case) -> dict, days after DAY0).
ACCEPT_WA = ("accept", "inspector", lambda c: {"inspectors": ["insp_a", "insp_b"]}, 1)
HEAR = ("hear_employer", "inspector", lambda c: {"note": "单位称资金周转困难"}, 5)
ORDER = ("order_payment", "inspector", lambda c: {"pay_by": DAY0 + dt.timedelta(days=20)}, 6)
PAY = (
    "record_payment",
    "inspector",
    lambda c: {"payments": [{"claim": first_claim(c), "amount": "8000.00"}]},
    10,
)
ACCEPT_LD = ("accept", "arbitrator", lambda c: {}, 1)
MEDIATE = ("start_mediation", "mediator", lambda c: {}, 2)
TO_HEARING = ("refer_to_hearing", "arbitrator", lambda c: {"note": "双方不同意调解"}, 2)
SCHEDULE = (
    "schedule_hearing",
    "arbitrator",
    lambda c: {"hearing_date": DAY0 + dt.timedelta(days=15)},
    3,
)
SUSPEND = ("suspend", "arbitrator", lambda c: {"note": "申请人因病无法参加仲裁"}, 4)
AWARD = (
    "award",
    "arbitrator",
    lambda c: {"items": [{"claim": first_claim(c), "item": "wages", "amount": "8000.00"}]},
    20,
)


# name: (kind, steps to reach the source state, the step under test, expected state)
SCENARIOS = {
    "accept_wage_arrears": ("wage_arrears", [], ACCEPT_WA, S.INVESTIGATING),
    "accept_dispute": ("labor_dispute", [], ACCEPT_LD, S.ACCEPTED),
    "request_supplement": (
        "wage_arrears",
        [],
        ("request_supplement", "inspector", lambda c: {"note": "请补充工资欠条"}, 1),
        S.AWAITING_SUPPLEMENT,
    ),
    "receive_supplement": (
        "wage_arrears",
        [("request_supplement", "inspector", lambda c: {"note": "请补充工资欠条"}, 1)],
        ("receive_supplement", "inspector", lambda c: {}, 3),
        S.SUBMITTED,
    ),
    "reject": (
        "labor_dispute",
        [],
        ("reject", "arbitrator", lambda c: {"reason_code": "out_of_time"}, 2),
        S.REJECTED,
    ),
    "convert_track": (
        "wage_arrears",
        [],
        ("convert_track", "inspector", lambda c: {"note": "实为解除劳动合同争议"}, 2),
        S.SUBMITTED,
    ),
    "withdraw": (
        "labor_dispute",
        [ACCEPT_LD, MEDIATE],
        ("withdraw", "mediator", lambda c: {"note": "劳动者申请撤回"}, 3),
        S.WITHDRAWN,
    ),
    "transfer_township": (
        "wage_arrears",
        [ACCEPT_WA],
        (
            "transfer_township",
            "supervisor",
            lambda c: {"township": "zhaokang", "note": "用人单位实际在赵康镇"},
            3,
        ),
        S.INVESTIGATING,
    ),
    "hear_employer": ("wage_arrears", [ACCEPT_WA], HEAR, S.INVESTIGATING),
    "extend_investigation": (
        "wage_arrears",
        [ACCEPT_WA],
        ("extend_investigation", "supervisor", lambda c: {"note": "涉及人数多，需延长"}, 50),
        S.INVESTIGATING,
    ),
    "order_payment": ("wage_arrears", [ACCEPT_WA, HEAR], ORDER, S.ORDERED),
    "record_payment": ("wage_arrears", [ACCEPT_WA, HEAR, ORDER], PAY, S.PAID),
    "penalize": (
        "wage_arrears",
        [ACCEPT_WA, HEAR, ORDER],
        ("penalize", "inspector", lambda c: {"compensation_percent": 80}, 30),
        S.PENALIZED,
    ),
    "transfer_to_police": (
        "wage_arrears",
        [ACCEPT_WA, HEAR, ORDER],
        ("transfer_to_police", "inspector", lambda c: {}, 30),
        S.TRANSFERRED,
    ),
    "revoke": (
        "wage_arrears",
        [ACCEPT_WA],
        ("revoke", "inspector", lambda c: {"note": "情节轻微且已改正"}, 5),
        S.WITHDRAWN,
    ),
    "close_wage_arrears": (
        "wage_arrears",
        [ACCEPT_WA, HEAR, ORDER, PAY],
        ("close", "inspector", lambda c: {}, 11),
        S.CLOSED,
    ),
    "compose_tribunal": (
        "labor_dispute",
        [ACCEPT_LD],
        ("compose_tribunal", "arbitrator", lambda c: {"arbitrators": ["arb"]}, 2),
        S.ACCEPTED,
    ),
    "start_mediation": ("labor_dispute", [ACCEPT_LD], MEDIATE, S.MEDIATING),
    "settle": (
        "labor_dispute",
        [ACCEPT_LD, MEDIATE],
        (
            "settle",
            "mediator",
            lambda c: {
                "instalments": [{"due_date": DAY0 + dt.timedelta(days=30), "amount": "8000"}]
            },
            5,
        ),
        S.SETTLED,
    ),
    "fail_mediation": (
        "labor_dispute",
        [ACCEPT_LD, MEDIATE],
        ("fail_mediation", "mediator", lambda c: {}, 17),
        S.HEARING,
    ),
    "refer_to_hearing": ("labor_dispute", [ACCEPT_LD], TO_HEARING, S.HEARING),
    "schedule_hearing": ("labor_dispute", [ACCEPT_LD, TO_HEARING], SCHEDULE, S.HEARING),
    "postpone_hearing": (
        "labor_dispute",
        [ACCEPT_LD, TO_HEARING, SCHEDULE],
        (
            "postpone_hearing",
            "arbitrator",
            lambda c: {"hearing_date": DAY0 + dt.timedelta(days=25), "note": "被申请人申请延期"},
            5,
        ),
        S.HEARING,
    ),
    "suspend": ("labor_dispute", [ACCEPT_LD, TO_HEARING], SUSPEND, S.SUSPENDED),
    "resume": (
        "labor_dispute",
        [ACCEPT_LD, TO_HEARING, SUSPEND],
        ("resume", "arbitrator", lambda c: {}, 14),
        S.HEARING,
    ),
    "restart_clock": (
        "labor_dispute",
        [ACCEPT_LD, TO_HEARING],
        ("restart_clock", "arbitrator", lambda c: {"reason_code": "counterclaim"}, 10),
        S.HEARING,
    ),
    "extend_award": (
        "labor_dispute",
        [ACCEPT_LD, TO_HEARING],
        ("extend_award", "supervisor", lambda c: {"note": "案情复杂"}, 40),
        S.HEARING,
    ),
    "award": ("labor_dispute", [ACCEPT_LD, TO_HEARING], AWARD, S.AWARDED),
    "deem_withdrawn": (
        "labor_dispute",
        [ACCEPT_LD, TO_HEARING, SCHEDULE],
        ("deem_withdrawn", "arbitrator", lambda c: {"note": "申请人无正当理由未到庭"}, 15),
        S.WITHDRAWN,
    ),
    "close_dispute": (
        "labor_dispute",
        [ACCEPT_LD, TO_HEARING, AWARD],
        ("close", "arbitrator", lambda c: {}, 25),
        S.CLOSED,
    ),
}

# A role of the right township that may not run the transition.
WRONG_ROLE = {
    "wage_arrears": "mediator",
    "labor_dispute": "inspector",
}
WRONG_ROLE_OVERRIDES = {
    "extend_investigation": "inspector",
    "transfer_township": "inspector",
    "extend_award": "arbitrator",
}


def run(step, case, people):
    name, actor, data, days = step
    return services.case_transition(
        case_number=case.number,
        name=name,
        actor=people[actor],
        data=data(case),
        today=DAY0 + dt.timedelta(days=days),
    )


def prepare(kind, steps, people):
    case = file_case(kind=kind, received_on=DAY0)
    for step in steps:
        case = run(step, case, people)
    return case


def test_every_transition_has_a_scenario():
    from cases.lifecycle import SPECS

    covered = {step[0] for _, _, step, _ in SCENARIOS.values()}
    assert covered == set(SPECS)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_it_runs_from_its_source_state(scenario, people):
    kind, steps, step, expected = SCENARIOS[scenario]
    case = prepare(kind, steps, people)

    case = run(step, case, people)

    assert case.state == expected


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_it_leaves_an_event_row(scenario, people):
    kind, steps, step, expected = SCENARIOS[scenario]
    case = prepare(kind, steps, people)
    before = case.state

    run(step, case, people)

    event = CaseEvent.objects.filter(case=case).last()
    assert (event.transition, event.from_state, event.to_state) == (step[0], before, expected)
    assert event.actor == people[step[1]]
    assert CaseEvent.objects.filter(case=case).count() == len(steps) + 2  # + filing


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_it_is_refused_from_a_final_state(scenario, people):
    kind, _, step, _ = SCENARIOS[scenario]
    case = file_case(kind=kind, received_on=DAY0)
    reject_actor = "inspector" if kind == "wage_arrears" else "arbitrator"
    case = run(("reject", reject_actor, lambda c: {"reason_code": "other"}, 1), case, people)
    events = CaseEvent.objects.count()

    with pytest.raises(errors.Conflict):
        run(step, case, people)

    case.refresh_from_db()
    assert case.state == S.REJECTED
    assert CaseEvent.objects.count() == events


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_it_is_forbidden_for_the_wrong_role(scenario, people):
    kind, steps, step, _ = SCENARIOS[scenario]
    case = prepare(kind, steps, people)
    wrong = WRONG_ROLE_OVERRIDES.get(step[0], WRONG_ROLE[kind])
    events = CaseEvent.objects.count()

    with pytest.raises(errors.Forbidden):
        run((step[0], wrong, step[2], step[3]), case, people)

    assert CaseEvent.objects.count() == events


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_it_is_not_found_for_another_township(scenario, people):
    kind, steps, step, _ = SCENARIOS[scenario]
    case = prepare(kind, steps, people)
    outsider = "other_township" if kind == "wage_arrears" else "other_arbitrator"

    with pytest.raises(errors.NotFound):
        run((step[0], outsider, step[2], step[3]), case, people)
