"""The month's case figures against a set of cases counted by hand (docs/statistics.md).

November 2026, dispute track (45 calendar days from acceptance to award, 15 more when
extended; no holiday falls on a due date below):

case  received  accepted  due    what happened                          counts as
A     09-21     09-22     11-06  award 11-02, closed 11-10              closed, in time
B     09-25     09-28     11-27  extended (11-12 + 15), award 11-20,    closed, in time
                                 closed 11-25
C     10-12     10-13     11-27  in hearing at the end of November       due, not closed
D     09-14     09-15     10-30  award 11-03, closed 11-05              closed, late
E     11-02     -         -      rejected 11-04                         received, rejected
F     11-03     11-04     12-19  withdrawn 11-10                        received, accepted,
                                                                         closed, in time
G     10-09     10-10     -      suspended 10-20, still suspended       nothing (no clock)

办结率 = closed 4 (A B D F) / (closed 4 + due and open 1 (C)) = 0.8
时限办结率 = in time 3 (A B F) / closed 4 = 0.75
"""

import datetime as dt
from decimal import Decimal

import pytest

from cases import services, statistics
from cases.models import Case
from tests.factories import claimant, file_case

NOVEMBER = statistics.Period.month(2026, 11)


def d(month, day):
    return dt.date(2026, month, day)


def step(case, people, name, actor, on, **data):
    return services.case_transition(
        case_number=case.number, name=name, actor=people[actor], data=data, today=on
    )


def award(case, people, on):
    claim = case.claims.first().id
    items = [{"claim": claim, "item": "wages", "amount": "8000.00"}]
    return step(case, people, "award", "arbitrator", on, items=items)


def dispute(received, accepted, people, index):
    case = file_case(kind="labor_dispute", received_on=received, claimants=[claimant(index)])
    case = step(case, people, "accept", "arbitrator", accepted)
    return step(case, people, "refer_to_hearing", "arbitrator", accepted, note="不调解")


@pytest.fixture
def november(people):
    a = dispute(d(9, 21), d(9, 22), people, 0)
    a = award(a, people, d(11, 2))
    step(a, people, "close", "arbitrator", d(11, 10))

    b = dispute(d(9, 25), d(9, 28), people, 1)
    b = step(b, people, "extend_award", "supervisor", d(11, 5), note="案情复杂")
    b = award(b, people, d(11, 20))
    step(b, people, "close", "arbitrator", d(11, 25))

    dispute(d(10, 12), d(10, 13), people, 2)

    case_d = dispute(d(9, 14), d(9, 15), people, 3)
    case_d = award(case_d, people, d(11, 3))
    step(case_d, people, "close", "arbitrator", d(11, 5))

    e = file_case(kind="labor_dispute", received_on=d(11, 2), claimants=[claimant(4)])
    step(e, people, "reject", "arbitrator", d(11, 4), reason_code="out_of_time")

    f = file_case(kind="labor_dispute", received_on=d(11, 3), claimants=[claimant(5)])
    f = step(f, people, "accept", "arbitrator", d(11, 4))
    step(f, people, "withdraw", "arbitrator", d(11, 10), note="劳动者申请撤回")

    g = dispute(d(10, 9), d(10, 10), people, 6)
    step(g, people, "suspend", "arbitrator", d(10, 20), note="申请人因病无法参加仲裁")


def test_it_counts_the_month_as_counted_by_hand(november):
    figures = statistics.case_figures(Case.objects.all(), NOVEMBER)
    counts = figures["counts"]
    assert counts["received"] == 2
    assert counts["accepted"] == 1
    assert counts["rejected"] == 1
    assert counts["closed"] == 4
    assert counts["due"] == 5
    assert counts["closed_in_time"] == 3
    assert counts["awarded"] == 3
    assert figures["closure_rate"] == 0.8
    assert figures["on_time_rate"] == 0.75
    assert figures["median_days_to_acceptance"] == 1.0
    # closed in November, days from receipt: F 7, A 50, D 52, B 61
    assert figures["median_days_to_closure"] == 51.0
    assert figures["workers_helped"] == 4
    assert Decimal(figures["amounts"]["awarded"]) == Decimal("24000.00")
    assert Decimal(figures["amounts"]["claimed"]) == Decimal("16000.00")


def test_it_lists_exactly_the_cases_a_figure_counts(november):
    late = statistics.figure_cases(Case.objects.all(), "closed", NOVEMBER).exclude(
        pk__in=statistics.figure_cases(Case.objects.all(), "closed_in_time", NOVEMBER)
    )
    assert [c.received_at.date() for c in late] == [d(9, 14)]


def test_it_keeps_the_handling_period_and_decision_day_on_the_case(november):
    extended = Case.objects.get(received_at__date=d(9, 25))
    assert extended.conclusion_due == d(11, 27)
    assert extended.handled_on == d(11, 20)
    assert extended.closed_on == d(11, 25)
    suspended = Case.objects.get(received_at__date=d(10, 9))
    assert suspended.conclusion_due is None


def test_it_narrows_to_a_township(november):
    scope = statistics.Scope(township="zhaokang")
    figures = statistics.case_figures(Case.objects.all(), NOVEMBER, scope)
    assert figures["counts"]["closed"] == 0
    assert figures["closure_rate"] is None


def test_it_opens_a_figure_as_the_list_of_its_cases(november, people, client):
    from django.urls import reverse

    client.force_login(people["supervisor"])
    query = "?figure=closed&period_from=2026-11-01&period_to=2026-11-30"

    response = client.get(reverse("workbench-queue") + query)

    assert response.status_code == 200
    listed = {c.number for c in response.context["page"].object_list}
    counted = statistics.figure_cases(Case.objects.all(), "closed", NOVEMBER)
    assert listed == {c.number for c in counted} and len(listed) == 4
    assert "办结数" in response.content.decode()


def test_it_says_so_when_a_figure_has_no_period(people, client):
    from django.urls import reverse

    from cases.selectors import PERIOD_INVALID

    client.force_login(people["supervisor"])

    response = client.get(reverse("workbench-queue") + "?figure=closed&period_from=2026-11-30")

    assert PERIOD_INVALID in response.content.decode()


def test_it_fills_the_dates_of_older_cases_from_their_history(november):
    from django.core.management import call_command

    expected = {c.pk: (c.conclusion_due, c.handled_on, c.closed_on) for c in Case.objects.all()}
    Case.objects.update(conclusion_due=None, handled_on=None, closed_on=None)

    call_command("case_milestones_backfill")

    found = {c.pk: (c.conclusion_due, c.handled_on, c.closed_on) for c in Case.objects.all()}
    assert found == expected


def test_the_event_figures_follow_the_scope_and_the_jurisdiction(november):
    # The county's report reads the events alone; a narrowed one keeps to its cases.
    county = statistics.case_figures(Case.objects.all(), NOVEMBER)
    assert county["counts"]["awarded"] == 3  # A, B and D
    assert county["amounts"]["awarded"] == "24000.00"
    scope = statistics.Scope(township="zhaokang")
    narrowed = statistics.case_figures(Case.objects.all(), NOVEMBER, scope)
    assert (narrowed["counts"]["awarded"], narrowed["amounts"]["awarded"]) == (0, "0")
    own = statistics.case_figures(Case.objects.filter(township__code="zhaokang"), NOVEMBER)
    assert (own["counts"]["awarded"], own["amounts"]["awarded"]) == (0, "0")
    home = statistics.case_figures(Case.objects.exclude(township__code="zhaokang"), NOVEMBER)
    assert home["counts"]["awarded"] == 3
