"""The risk score follows docs/domain.md's table; every factor says why; rules are data."""

import datetime as dt

import pytest

from cases.models import Case, CaseEvent
from core.models import Employer
from notifications.risk import in_season, score_case
from rules.models import RiskKeyword, RiskRuleSet, SpringFestival
from tests.notifications.support import file, rules_without_season

SUMMER = dt.date(2026, 6, 10)  # outside the pre-festival season


def points(result, code):
    return sum(f["points"] for f in result.factors if f["code"] == code)


@pytest.mark.parametrize(("count", "expected"), [(9, 0), (10, 15), (29, 15), (30, 25), (100, 35)])
def test_it_scores_the_workers_affected(rules, count, expected):
    case = file(count=count)

    assert points(score_case(case, today=SUMMER), "workers") == expected


def test_it_adds_the_276_1_amount_for_one_worker_owed_three_months(rules):
    case = file(count=1, amount="6000.00", months=3)

    result = score_case(case, today=SUMMER)

    assert points(result, "amount_276_1") == 10


def test_it_adds_the_276_1_amount_for_ten_workers_owed_together(rules):
    below = file(count=10, amount="2000.00", months=1, employer="甲公司")
    above = file(count=10, amount="3000.00", months=1, employer="乙公司", start=20)

    assert points(score_case(below, today=SUMMER), "amount_276_1") == 0
    assert points(score_case(above, today=SUMMER), "amount_276_1") == 10


@pytest.mark.parametrize(
    "setup",
    [
        {"sector": "construction"},
        {"state_owned_or_government_project": True},
        {"closed_under_policy": True, "sector": "steel_coke"},
    ],
)
def test_it_adds_the_project_kind(rules, setup):
    case = file()
    Employer.objects.filter(pk=case.employer_id).update(**setup)
    case.refresh_from_db()

    assert points(score_case(case, today=SUMMER), "project") == 10


def test_it_adds_deadline_pressure_and_more_when_overdue(rules):
    case = file()
    Case.objects.filter(pk=case.pk).update(
        state="investigating", accepted_on=dt.date(2026, 3, 2), clock_stage="investigation"
    )
    case.refresh_from_db()
    case.deadline = dt.date(2026, 5, 29)

    early = score_case(case, today=dt.date(2026, 3, 20))
    late = score_case(case, today=dt.date(2026, 5, 12))  # > 40 working days used
    overdue = score_case(case, today=dt.date(2026, 6, 1))

    assert points(early, "deadline_pressure") == 0
    assert points(late, "deadline_pressure") == 5
    assert points(overdue, "overdue") == 10 and points(overdue, "deadline_pressure") == 0


def test_it_counts_award_pressure_in_calendar_days(rules):
    case = file(kind="labor_dispute")
    Case.objects.filter(pk=case.pk).update(
        state="hearing", award_clock_started_on=dt.date(2026, 4, 1), clock_stage="award"
    )
    case.refresh_from_db()
    case.deadline = dt.date(2026, 5, 18)

    assert points(score_case(case, today=dt.date(2026, 5, 6)), "deadline_pressure") == 0
    assert points(score_case(case, today=dt.date(2026, 5, 7)), "deadline_pressure") == 5


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 14), False),
        (dt.date(2026, 11, 15), True),
        (dt.date(2027, 1, 1), True),
        (dt.date(2027, 2, 20), True),  # 2027 Spring Festival 02-06: Lantern Festival 02-20
        (dt.date(2027, 2, 21), False),
    ],
)
def test_it_knows_the_pre_festival_season(db, day, expected):
    rules = RiskRuleSet.objects.get(version=1)

    assert in_season(day, rules)[0] is expected


def test_it_falls_back_visibly_for_a_year_without_a_spring_festival_date(db):
    SpringFestival.objects.filter(year=2027).delete()

    season, label = in_season(dt.date(2027, 2, 25), RiskRuleSet.objects.get(version=1))

    assert season and "未录入" in label


def test_it_adds_the_season_with_the_seeded_rules(db):
    case = file()

    result = score_case(case, today=dt.date(2026, 12, 1))

    assert points(result, "season") == 10 and result.rules_version == 1


def test_it_adds_repeat_complaints_against_one_employer(rules):
    first = file(start=0)
    assert points(score_case(first), "repeat") == 0

    file(start=1)  # another worker, same employer

    assert points(score_case(first), "repeat") == 10


def test_it_adds_employer_history(rules):
    case = file()
    assert points(score_case(case, today=SUMMER), "employer_history") == 0

    Employer.objects.filter(pk=case.employer_id).update(blacklisted_until=dt.date(2029, 1, 1))
    case.refresh_from_db()

    assert points(score_case(case, today=SUMMER), "employer_history") == 10


def test_it_adds_an_ignored_order_to_pay_as_employer_history(rules):
    earlier = file(start=0)
    later = file(start=1, received_on=dt.date(2026, 1, 5))
    CaseEvent.objects.create(case=earlier, transition="penalize", to_state="penalized")

    assert points(score_case(later, today=SUMMER), "employer_history") == 10


def test_it_flags_distress_words_for_review(rules):
    case = file(description="老板再不给钱，我们就上塔吊。")

    result = score_case(case, today=SUMMER)

    assert points(result, "distress") == 15
    assert result.needs_review and result.distress_words == ["塔吊"]


def test_it_reads_distress_words_from_the_table(rules):
    RiskKeyword.objects.create(word="讨个说法", kind="distress")
    case = file(description="我们要去讨个说法。")

    assert score_case(case, today=SUMMER).distress_words == ["讨个说法"]


def test_it_makes_a_case_at_the_petition_office_red(rules):
    case = file(description="工人已经到县信访局反映。")

    result = score_case(case, today=SUMMER)

    assert result.level == "red" and result.score == rules.red_from
    assert "red_override" in result.factor_codes


def test_it_reads_petition_words_in_staff_notes(rules):
    case = file()
    CaseEvent.objects.create(
        case=case, transition="hear_employer", to_state=case.state, note="部分工人已上访。"
    )

    assert score_case(case, today=SUMMER).level == "red"


def test_it_makes_a_case_transferred_to_police_red(rules):
    case = file()
    Case.objects.filter(pk=case.pk).update(state="transferred")
    case.refresh_from_db()

    assert score_case(case, today=SUMMER).level == "red"


def test_it_scores_a_closed_case_zero(rules):
    case = file(count=30, description="要去跳楼")
    Case.objects.filter(pk=case.pk).update(state="closed")
    case.refresh_from_db()

    result = score_case(case, today=SUMMER)

    assert (result.score, result.level, result.factors) == (0, "green", [])


@pytest.mark.parametrize(
    ("score", "level"),
    [(29, "green"), (30, "yellow"), (49, "yellow"), (50, "orange"), (69, "orange"), (70, "red")],
)
def test_it_maps_scores_to_levels(db, score, level):
    assert RiskRuleSet.objects.get(version=1).level_for(score) == level


def test_it_uses_the_newest_rule_version_and_records_it(db):
    case = file(count=10)
    tuned = rules_without_season(workers_tier1_points=20)

    result = score_case(case, today=SUMMER)

    assert points(result, "workers") == 20 and result.rules_version == tuned.version


def test_it_caps_the_score_at_100(rules):
    case = file(count=100, amount="6000.00", months=3, description="跳楼", sector="construction")
    Employer.objects.filter(pk=case.employer_id).update(
        blacklisted_until=dt.date(2030, 1, 1), state_owned_or_government_project=True
    )
    case.refresh_from_db()
    file(start=200)  # a repeat
    tuned = rules_without_season(distress_points=60)

    result = score_case(case, rules_set=tuned, today=SUMMER)

    assert result.score == 100 and sum(f["points"] for f in result.factors) > 100


def test_it_rescores_the_employers_other_cases_only_when_they_become_repeats(rules, monkeypatch):
    from notifications import services

    cases = [file(start=300 + 5 * i) for i in range(rules.repeat_min_complaints + 1)]
    for case in cases[:-1]:
        services.employer_cases_refresh(case_id=case.pk)
    assert all(
        "repeat" in [f["code"] for f in c.risk_factors]
        for c in Case.objects.filter(pk__in=[c.pk for c in cases[:-1]])
    )
    rescored = []
    monkeypatch.setattr(services, "case_risk_refresh", lambda **kw: rescored.append(kw))

    services.employer_cases_refresh(case_id=cases[-1].pk)  # past the threshold

    assert rescored == []


def test_it_makes_a_threat_of_self_harm_from_one_worker_red(rules):
    case = file(count=1, description="再不给钱我就跳楼")

    result = score_case(case, today=SUMMER)

    assert result.level == "red" and result.score >= rules.red_from
    assert result.needs_review and result.threat_words == ["跳楼"]
    assert {"threat", "red_override"} <= set(result.factor_codes)


@pytest.mark.parametrize("words", ["我想喝药算了", "要去爬塔吊", "不想活了", "我去自焚"])
def test_it_knows_the_threats_of_the_risk_table(rules, words):
    assert score_case(file(count=1, description=words), today=SUMMER).level == "red"


def test_it_reads_a_threat_in_a_staff_note(rules):
    case = file(count=1)
    CaseEvent.objects.create(
        case=case, transition="hear_employer", to_state=case.state, note="工人电话称要跳河。"
    )

    assert score_case(case, today=SUMMER).level == "red"


def test_it_keeps_the_weight_of_other_distress_words(rules):
    result = score_case(file(count=1, description="我们要去堵路"), today=SUMMER)

    assert points(result, "distress") == 15 and result.level != "red"
    assert result.threat_words == []


def test_it_counts_a_distress_word_inside_a_threat_once(rules):
    result = score_case(file(count=1, description="要去爬塔吊"), today=SUMMER)

    assert result.threat_words == ["爬塔吊"] and result.distress_words == []
