"""The deadline engine (cases/clocks.py) against China's official calendar.

A period starts counting on the day after the event that starts it. Working days follow
chinese-calendar (make-up weekends count); a calendar-day period ending on a non-working
day rolls to the next working day. Dates below were checked with
chinese_calendar.is_workday (package 1.11, which knows years up to 2026).
"""

import datetime as dt

import chinese_calendar
import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cases import clocks
from cases.models import Case
from core import roles
from rules.calendar import WorkingCalendar
from rules.models import CalendarDay, CalendarYear, ClockRule
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint
from tests.factories import staff

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def due(stage, started_on, **kwargs):
    return clocks.stage_deadline(stage, started_on, **kwargs).due


def enter_year(year, days=()):
    """What an administrator enters from the State Council's holiday notice."""
    calendar_year = CalendarYear.objects.create(year=year, source=f"国办发明电（{year}）")
    for day, working in days:
        CalendarDay.objects.create(calendar_year=calendar_year, date=day, is_working_day=working)
    return calendar_year


# --- the calendar facts these tests rely on ------------------------------------------


def test_it_relies_on_the_official_2026_calendar():
    # Labour Day: May 1-5 off, Saturday May 9 worked.
    assert not any(chinese_calendar.is_workday(D(2026, 5, d)) for d in range(1, 6))
    assert chinese_calendar.is_workday(D(2026, 5, 9))
    # National Day: Oct 1-7 off; Sunday Sep 20 and Saturday Oct 10 worked.
    assert not any(chinese_calendar.is_workday(D(2026, 10, d)) for d in range(1, 8))
    assert chinese_calendar.is_workday(D(2026, 9, 20))
    assert chinese_calendar.is_workday(D(2026, 10, 10))
    # Spring Festival: Feb 15-23 off; Saturdays Feb 14 and Feb 28 worked.
    assert not any(chinese_calendar.is_workday(D(2026, 2, d)) for d in range(15, 24))
    assert chinese_calendar.is_workday(D(2026, 2, 14))
    assert chinese_calendar.is_workday(D(2026, 2, 28))
    # The package stops at 2026.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 4))


# --- DOMAIN's worked example ---------------------------------------------------------


def test_it_counts_five_working_days_across_labour_day_to_monday_may_11():
    # Thu Apr 30 received: May 6, 7, 8, Sat May 9 (make-up), Mon May 11.
    assert due("acceptance_inspection", D(2026, 4, 30)) == D(2026, 5, 11)


def test_it_rolls_five_calendar_days_ending_on_may_5_to_may_6():
    # Apr 30 + 5 calendar days = Tue May 5, a holiday: rolls to Wed May 6.
    assert due("acceptance_dispute", D(2026, 4, 30)) == D(2026, 5, 6)


# --- National Day 2026 ---------------------------------------------------------------


def test_it_counts_working_days_across_national_day_with_the_make_up_saturday():
    # Tue Sep 29: Sep 30, (Oct 1-7 off), Oct 8, Oct 9, Sat Oct 10 (make-up), Mon Oct 12.
    assert due("acceptance_inspection", D(2026, 9, 29)) == D(2026, 10, 12)


def test_it_counts_the_make_up_sunday_before_national_day():
    # Fri Sep 18: Sun Sep 20 (make-up), 21, 22, 23, 24.
    assert due("acceptance_inspection", D(2026, 9, 18)) == D(2026, 9, 24)


def test_it_rolls_a_calendar_period_ending_in_national_day_to_october_8():
    # Mon Sep 28 + 5 = Sat Oct 3, inside the holiday: rolls to Thu Oct 8.
    assert due("acceptance_dispute", D(2026, 9, 28)) == D(2026, 10, 8)


def test_it_does_not_roll_a_calendar_period_ending_on_a_make_up_saturday():
    # Mon Oct 5 + 5 = Sat Oct 10, a working day.
    assert due("acceptance_dispute", D(2026, 10, 5)) == D(2026, 10, 10)


# --- Spring Festival 2026 ------------------------------------------------------------


def test_it_counts_working_days_across_spring_festival_with_the_make_up_saturday():
    # Wed Feb 11: Feb 12, 13, Sat Feb 14 (make-up), (Feb 15-23 off), Feb 24, Feb 25.
    assert due("acceptance_inspection", D(2026, 2, 11)) == D(2026, 2, 25)


def test_it_counts_from_a_complaint_received_on_the_last_holiday():
    # Mon Feb 23 (holiday): Feb 24, 25, 26, 27, Sat Feb 28 (make-up).
    assert due("acceptance_inspection", D(2026, 2, 23)) == D(2026, 2, 28)


def test_it_rolls_a_calendar_period_ending_in_spring_festival_to_february_24():
    # Thu Feb 12 + 5 = Tue Feb 17, inside the holiday: rolls to Tue Feb 24.
    assert due("acceptance_dispute", D(2026, 2, 12)) == D(2026, 2, 24)


def test_it_rolls_a_calendar_period_ending_on_an_ordinary_sunday_to_monday():
    # Tue Jun 2 + 5 = Sun Jun 7: rolls to Mon Jun 8.
    assert due("acceptance_dispute", D(2026, 6, 2)) == D(2026, 6, 8)


# --- suspension (中止) ---------------------------------------------------------------


def test_it_pushes_a_calendar_deadline_by_the_paused_days():
    assert due("award", D(2026, 3, 2)) == D(2026, 4, 16)  # 45 days
    # Suspended on Mar 10, resumed on Mar 17: Mar 11-17 (7 days) do not count.
    paused = due("award", D(2026, 3, 2), pauses=[(D(2026, 3, 10), D(2026, 3, 17))])
    assert paused == D(2026, 4, 23)


def test_it_pushes_a_working_day_deadline_by_the_paused_working_days():
    assert due("acceptance_inspection", D(2026, 6, 1)) == D(2026, 6, 8)
    # Jun 3 and 4 paused: Jun 2, 5, 8, 9, 10.
    paused = due("acceptance_inspection", D(2026, 6, 1), pauses=[(D(2026, 6, 2), D(2026, 6, 4))])
    assert paused == D(2026, 6, 10)


def test_it_adds_up_several_pauses():
    pauses = [(D(2026, 3, 10), D(2026, 3, 12)), (D(2026, 3, 20), D(2026, 3, 24))]
    # 2 + 4 paused days: Apr 16 + 6 = Wed Apr 22.
    assert due("award", D(2026, 3, 2), pauses=pauses) == D(2026, 4, 22)


def test_it_ignores_a_pause_after_the_deadline():
    pauses = [(D(2026, 5, 20), D(2026, 5, 25))]
    assert due("award", D(2026, 3, 2), pauses=pauses) == D(2026, 4, 16)


def test_it_has_no_deadline_while_a_suspension_is_open():
    result = clocks.stage_deadline("award", D(2026, 3, 2), pauses=[(D(2026, 3, 10), None)])
    assert result.due is None
    extended = clocks.stage_deadline(
        "award",
        D(2026, 3, 2),
        pauses=[(D(2026, 3, 10), None)],
        extension_stage="award_extension",
    )
    assert extended.due is None


def test_it_reads_pauses_as_stored_on_the_case():
    assert clocks.parse_pauses([["2026-03-10", "2026-03-17"], ["2026-04-01", None]]) == [
        (D(2026, 3, 10), D(2026, 3, 17)),
        (D(2026, 4, 1), None),
    ]
    assert clocks.parse_pauses(None) == []


# --- extensions ----------------------------------------------------------------------


def test_it_extends_an_investigation_by_thirty_working_days():
    plain = clocks.stage_deadline("investigation", D(2026, 3, 2))
    assert plain.due == D(2026, 5, 28)  # 60 working days (Qingming, Labour Day skipped)
    assert not plain.extended
    extended = clocks.stage_deadline(
        "investigation", D(2026, 3, 2), extension_stage="investigation_extension"
    )
    assert extended.due == D(2026, 7, 10)  # 30 more working days (Dragon Boat skipped)
    assert extended.extended


def test_it_extends_an_award_by_fifteen_calendar_days():
    extended = clocks.stage_deadline("award", D(2026, 3, 2), extension_stage="award_extension")
    # Apr 16 + 15 = Fri May 1, a holiday: rolls to Wed May 6.
    assert extended.due == D(2026, 5, 6)
    assert extended.extended


# --- years the package does not know -------------------------------------------------


def test_it_falls_back_to_weekends_only_in_a_year_nobody_entered():
    result = clocks.stage_deadline("investigation", D(2026, 11, 27))
    # 24 working days left in 2026, then 36 weekdays of 2027 (Jan 1 counted as a weekday).
    assert result.due == D(2027, 2, 19)
    assert result.calendar_fallback
    assert 2027 in result.fallback_years


def test_it_reports_no_fallback_for_a_period_inside_a_known_year():
    result = clocks.stage_deadline("investigation", D(2026, 3, 2))
    assert not result.calendar_fallback
    assert result.fallback_years == set()


def test_it_uses_the_year_an_administrator_entered():
    enter_year(2027, [(D(2027, 1, 1), False)])
    result = clocks.stage_deadline("investigation", D(2026, 11, 27))
    assert not result.calendar_fallback
    assert result.fallback_years == set()
    assert result.due == D(2027, 2, 22)  # Jan 1 skipped: one weekday later, Monday


def test_it_counts_a_make_up_day_an_administrator_entered():
    enter_year(2027, [(D(2027, 1, 1), False), (D(2027, 2, 20), True)])
    result = clocks.stage_deadline("investigation", D(2026, 11, 27))
    assert result.due == D(2027, 2, 20)  # the 60th working day is the make-up Saturday
    assert not result.calendar_fallback


def test_it_lets_an_entered_day_override_the_package_in_a_known_year():
    enter_year(2026, [(D(2026, 5, 11), False)])
    # May 6, 7, 8, Sat May 9 (make-up, from the package), May 11 now off -> Tue May 12.
    assert due("acceptance_inspection", D(2026, 4, 30)) == D(2026, 5, 12)


def test_it_flags_a_filed_case_whose_clock_runs_into_an_unknown_year():
    from django.utils import timezone

    from cases import filing, services
    from core.models import Township

    received = timezone.make_aware(dt.datetime(2026, 12, 28, 10, 0))
    result = filing.complaint_file(
        kind="wage_arrears",
        employer_name="襄汾县岁末建材有限公司",
        township=Township.objects.get(code="xincheng"),
        claimants=[filing.ClaimantInput(**_service_claimant(1))],
        description="年底欠薪。",
        received_at=received,
    )
    case = Case.objects.get(pk=result.case.pk)
    # Dec 29, 30, 31, then weekends-only 2027: Fri Jan 1, Mon Jan 4.
    assert case.deadline == D(2027, 1, 4)
    assert case.calendar_fallback

    enter_year(2027, [(D(2027, 1, 1), False)])
    services.case_deadline_refresh(case=case)
    assert case.deadline == D(2027, 1, 5)
    assert not case.calendar_fallback


def test_it_does_not_carry_a_fallback_over_to_the_next_deadline_on_a_shared_calendar():
    calendar = WorkingCalendar()
    first = clocks.stage_deadline("investigation", D(2026, 11, 27), calendar=calendar)
    assert first.calendar_fallback
    second = clocks.stage_deadline("acceptance_inspection", D(2026, 4, 30), calendar=calendar)
    assert second.due == D(2026, 5, 11)
    assert not second.calendar_fallback


# --- rules are data --------------------------------------------------------------------


def test_it_applies_an_edited_rule_to_clocks_starting_on_or_after_its_date():
    ClockRule.objects.create(
        stage="acceptance_inspection",
        label="监察立案审查（修订）",
        days=7,
        day_kind=ClockRule.DayKind.WORKING,
        citation="测试：假设修订后的规定",
        effective_from=D(2026, 6, 1),
    )
    new = clocks.stage_deadline("acceptance_inspection", D(2026, 6, 1))
    assert new.rule.days == 7
    assert new.due == D(2026, 6, 10)  # Jun 2, 3, 4, 5, 8, 9, 10
    later = clocks.stage_deadline("acceptance_inspection", D(2026, 6, 15))
    assert later.rule.days == 7


def test_it_keeps_the_old_rule_for_clocks_started_before_the_edit():
    ClockRule.objects.create(
        stage="acceptance_inspection",
        label="监察立案审查（修订）",
        days=7,
        day_kind=ClockRule.DayKind.WORKING,
        citation="测试：假设修订后的规定",
        effective_from=D(2026, 6, 1),
    )
    old = clocks.stage_deadline("acceptance_inspection", D(2026, 5, 29))
    assert old.rule.days == 5
    assert old.due == D(2026, 6, 5)  # Jun 1, 2, 3, 4, 5
    assert due("acceptance_inspection", D(2026, 4, 30)) == D(2026, 5, 11)


def test_it_switches_day_kind_with_the_rule():
    ClockRule.objects.create(
        stage="acceptance_dispute",
        label="仲裁受理审查（修订）",
        days=5,
        day_kind=ClockRule.DayKind.WORKING,
        citation="测试：假设修订后的规定",
        effective_from=D(2026, 4, 1),
    )
    # Now 5 working days from Apr 30, like the inspection track.
    assert due("acceptance_dispute", D(2026, 4, 30)) == D(2026, 5, 11)
    assert due("acceptance_dispute", D(2026, 3, 31)) == D(2026, 4, 7)  # old: Apr 5 (Sun) rolls


def test_it_raises_when_no_rule_covers_the_start_date():
    with pytest.raises(clocks.RuleMissing):
        clocks.stage_deadline("acceptance_inspection", D(2000, 1, 1))


# --- through the filing service ------------------------------------------------------


def _service_claimant(n):
    data = claimant(n)
    data.pop("months_owed")
    return data


@pytest.fixture
def staff_client():
    user = staff("clock_inspector", roles.INSPECTOR, townships=(), county_level=True)
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "received_at",
    ["2026-04-30T10:00:00+08:00", "2026-04-30T10:00:00", "2026-04-30T02:00:00Z"],
    ids=["beijing-time", "naive-is-local", "utc"],
)
def test_it_gives_a_staff_entered_wage_complaint_the_working_day_deadline(
    staff_client, received_at
):
    body = complaint(
        kind="wage_arrears", received_at=received_at, backdate_reason="热线工单转办补录"
    )
    response = staff_client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["deadline"] == "2026-05-11"
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.deadline == D(2026, 5, 11)
    assert case.clock_stage == "acceptance_inspection"
    assert case.clock_started_on == D(2026, 4, 30)
    assert not case.calendar_fallback


def test_it_gives_a_staff_entered_dispute_the_calendar_day_deadline(staff_client):
    body = complaint(
        kind="labor_dispute",
        received_at="2026-04-30T10:00:00+08:00",
        backdate_reason="热线工单转办补录",
    )
    response = staff_client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["deadline"] == "2026-05-06"
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.clock_stage == "acceptance_dispute"


def test_it_counts_from_the_local_date_of_receipt_not_the_utc_date(staff_client):
    # 17:00 UTC on May 7 is 01:00 on Fri May 8 in Xiangfen.
    body = complaint(
        kind="wage_arrears", received_at="2026-05-07T17:00:00Z", backdate_reason="热线工单转办补录"
    )
    response = staff_client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.json()
    # From May 8: Sat May 9 (make-up), 11, 12, 13, 14.
    assert response.json()["deadline"] == "2026-05-14"
