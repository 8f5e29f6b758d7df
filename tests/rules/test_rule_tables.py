"""The rule tables register themselves for the rule-generation triggers, and the messages
that quote a figure read it from the tables."""

import datetime as dt
from decimal import Decimal

import pytest

from cases import errors, lifecycle
from cases.lifecycle.inputs import RejectionReason
from rules import wording
from rules.models import ClockRule, LegalParameter
from rules.thresholds import WorkerClaim, wage_refusal_threshold_met
from rules.triggers import watched_tables

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


def test_every_rule_table_and_the_townships_are_watched():
    assert {
        "cases_township",
        "cases_legalparameter",
        "cases_clockrule",
        "cases_calendaryear",
        "cases_calendarday",
        "notifications_riskruleset",
        "notifications_riskkeyword",
        "notifications_springfestival",
        "workflows_subsidypolicy",
        "workflows_policyparameter",
    } <= set(watched_tables())


def owed(months, claimed, recovered="0"):
    return WorkerClaim(months, Decimal(claimed), Decimal(recovered))


def test_the_276_1_threshold_counts_what_is_still_owed_not_what_was_claimed():
    assert wage_refusal_threshold_met([owed(3, "6000", "1000")], ON)  # 5000 still owed
    assert not wage_refusal_threshold_met([owed(3, "6000", "2000")], ON)  # 4000
    ten = [owed(1, "3000") for _ in range(10)]
    assert wage_refusal_threshold_met(ten, ON)
    paid_one = [*ten[:9], owed(1, "3000", "3000")]  # nine workers still owed
    assert not wage_refusal_threshold_met(paid_one, ON)


def test_the_seeded_figures_read_as_the_law_writes_them():
    assert str(lifecycle.SPECS["extend_investigation"].label) == "延长调查期限（30个工作日）"
    assert str(lifecycle.SPECS["extend_award"].label) == "延长审理期限（15日）"
    assert str(dict(RejectionReason.CHOICES)["out_of_time"]) == "超过法定时效（监察2年/仲裁1年）"
    assert errors.POSTPONE_TOO_LATE == "延期开庭申请须在开庭三日前提出。"


def test_a_changed_figure_changes_the_message():
    ClockRule.objects.filter(stage="investigation_extension").update(days=20)
    LegalParameter.objects.filter(code="postponement_request_min_days").update(value=5)
    LegalParameter.objects.filter(code="limitation_months_labor_dispute").update(value=18)

    assert str(lifecycle.SPECS["extend_investigation"].label) == "延长调查期限（20个工作日）"
    assert errors.POSTPONE_TOO_LATE == "延期开庭申请须在开庭五日前提出。"
    assert str(dict(RejectionReason.CHOICES)["out_of_time"]) == "超过法定时效（监察2年/仲裁18个月）"


def test_chinese_numerals():
    assert [wording.chinese_numeral(n) for n in (3, 10, 15, 20, 60, 99)] == [
        "三",
        "十",
        "十五",
        "二十",
        "六十",
        "九十九",
    ]
