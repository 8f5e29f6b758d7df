"""The escalation-risk score: explainable, rule-based, 0-100 (docs/domain.md, Escalation risk).

`score_case` reads the case and the rule tables and returns the factors behind the
score; it writes nothing (notifications.services stores the result). Each factor is a
RiskFactor {code, label, points} so the screen and the case file can say why.

One function per factor (FACTORS, in the order the factors are listed) takes the case's
facts (CaseFacts: read once, when a factor first asks) and returns its factor or None;
one function per reason to go straight to red (RED_OVERRIDES) returns why or None.
score_case adds them up. A new factor is one function and one entry in FACTORS.

Choices documented here because the table leaves them open:
- "workers affected" counts the claimants of the case.
- "amount at or above the 276-1 threshold": rules.thresholds, on what is still owed
  (claimed minus recovered), the same test as the transfer to the police.
- "repeat": complaints (cases) against the same employer received in the window before
  the scoring day, this one included.
- "employer ignored an earlier order to pay": any case of the employer went through the
  `penalize` transition (an order to pay was not met by its deadline).
- "police involved": the case is in state `transferred`. "At a petition office": a
  petition keyword (RiskKeyword kind=petition, e.g. 信访局, 已上访) appears in the
  complaint text or in a staff note on the case's events — staff record such facts in
  the note of any transition. Either makes the level red and lifts the score to the red
  threshold.
- A threat of self-harm or of extreme action (RiskKeyword kind=threat, e.g. 跳楼, 喝药)
  in the complaint text or a staff note makes the level red whatever the other factors,
  adds the distress points and flags the case for human review. A distress word that is
  part of a threat found ("塔吊" in "爬塔吊") is not counted again.
- A case in a final state (rejected, closed, withdrawn) scores 0: nothing is at stake.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import NotRequired, TypedDict

from django.db.models import Count, Max
from django.utils import timezone

from cases import clocks
from cases.models import FINAL_STATES, Case, CaseEvent, CaseState
from core.dates import day_start
from rules import memo
from rules import parameters as rules
from rules.calendar import ONE_DAY, WorkingCalendar, paused, working_calendar
from rules.models import RiskKeyword, RiskLevel, RiskRuleSet, SpringFestival
from rules.thresholds import WorkerClaim, wage_refusal_threshold_met

MAX_SCORE = 100
SEASON_FALLBACK_END = (2, 28)  # used only for a year without a Spring Festival entry


class RiskFactor(TypedDict):
    """One reason behind a score, as stored on the case, its score history and its
    alerts (Case.risk_factors, RiskScore.factors, Alert.factors) and sent to the screen."""

    code: str
    label: str
    points: int
    words: NotRequired[list[str]]  # the words found (threat, distress)
    review: NotRequired[bool]  # a person must look at the case


@dataclass
class RiskResult:
    score: int
    level: str
    factors: list[RiskFactor]
    rules_version: int
    needs_review: bool = False
    distress_words: list[str] = field(default_factory=list)
    threat_words: list[str] = field(default_factory=list)

    @property
    def factor_codes(self) -> list[str]:
        return [f["code"] for f in self.factors]


def current_rules() -> RiskRuleSet:
    return memo.remember("risk-rules", _newest_rules)


def _newest_rules() -> RiskRuleSet:
    rules_set = RiskRuleSet.objects.order_by("-version").first()
    if rules_set is None:  # the data migration seeds version 1; never leave scoring blind
        rules_set = RiskRuleSet.objects.create(version=1, note="默认规则（docs/domain.md）")
    return rules_set


def keywords(kind: str) -> list[str]:
    return memo.remember(
        ("risk-keywords", kind),
        lambda: list(
            RiskKeyword.objects.filter(kind=kind, active=True).values_list("word", flat=True)
        ),
    )


def red_at_once(text: str) -> bool:
    """Whether the text has a threat or petition word (the score is red whatever else)."""
    kinds = (RiskKeyword.Kind.THREAT, RiskKeyword.Kind.PETITION)
    return any(word in text for kind in kinds for word in keywords(kind))


def _factor(code: str, label: str, points: int, **extra) -> RiskFactor:
    return {"code": code, "label": label, "points": points, **extra}  # type: ignore[typeddict-item]


def in_season(day: dt.date, rules_set: RiskRuleSet) -> tuple[bool, str]:
    """15 November (by default) to the Lantern Festival of the next lunar year."""
    start = dt.date(day.year, rules_set.season_start_month, rules_set.season_start_day)
    if day >= start:
        return True, f"节前欠薪高发期（{start:%m月%d日}起至元宵节）"
    festival = memo.remember(
        ("spring-festival", day.year), SpringFestival.objects.filter(year=day.year).first
    )
    if festival is not None:
        end, note = festival.lantern_festival, ""
    else:
        end = dt.date(day.year, *SEASON_FALLBACK_END)
        note = "；该年春节日期未录入，暂按2月底计"
    if day <= end:
        return True, f"节前欠薪高发期（至{end:%m月%d日}元宵节{note}）"
    return False, ""


def _days_used(case: Case, today: dt.date, calendar: WorkingCalendar) -> tuple[str, int]:
    """Days used on the investigation (working days) or award (calendar days) clock."""
    pauses = clocks.parse_pauses(case.clock_pauses)
    if case.clock_stage == "investigation" and case.accepted_on:
        start, working = case.accepted_on, True
    elif case.clock_stage == "award" and case.award_clock_started_on:
        start, working = case.award_clock_started_on, False
    else:
        return "", 0
    used, day = 0, start
    while day < today:
        day += ONE_DAY
        if paused(day, pauses):
            continue
        if working and not calendar.is_working_day(day):
            continue
        used += 1
    return case.clock_stage, used


def _texts(case: Case) -> str:
    notes = CaseEvent.objects.filter(case=case).exclude(note="").values_list("note", flat=True)
    return "\n".join([case.description, case.project_name, *notes])


def _amount_reached(claims: list[dict], on: dt.date) -> bool:
    """Criminal Law 276-1 on what the workers are still owed (rules.thresholds)."""
    owed = [
        WorkerClaim(c["months_owed"], c["amount_claimed"], c["amount_recovered"]) for c in claims
    ]
    try:
        return wage_refusal_threshold_met(owed, on)
    except rules.ParameterMissing:
        return False


class CaseFacts:
    """What the factors read about a case on the scoring day. Each fact is read from the
    database when a factor first asks for it, and once."""

    def __init__(
        self,
        case: Case,
        *,
        rules_set: RiskRuleSet,
        today: dt.date,
        calendar: WorkingCalendar | None = None,
    ):
        self.case = case
        self.rules = rules_set
        self.today = today
        self._calendar = calendar

    @cached_property
    def claims(self) -> list[dict]:
        return list(self.case.claims.values("amount_claimed", "amount_recovered", "months_owed"))

    @property
    def overdue(self) -> bool:
        return bool(self.case.deadline and self.case.deadline < self.today)

    @cached_property
    def days_used(self) -> tuple[str, int]:
        """(clock stage, days used on it): see _days_used."""
        return _days_used(self.case, self.today, self._calendar or working_calendar())

    @cached_property
    def text(self) -> str:
        return _texts(self.case)

    @cached_property
    def threat_words(self) -> list[str]:
        return [w for w in keywords(RiskKeyword.Kind.THREAT) if w in self.text]

    @cached_property
    def distress_words(self) -> list[str]:
        """Distress words in the text, but not one that is part of a threat found."""
        threat = self.threat_words
        return [
            w
            for w in keywords(RiskKeyword.Kind.DISTRESS)
            if w in self.text and not any(w in t for t in threat)
        ]


# --- the factors, in the order they are listed ------------------------------------------


def workers_factor(facts: CaseFacts) -> RiskFactor | None:
    rules_set, workers = facts.rules, len(facts.claims)
    for minimum, points in (
        (rules_set.workers_tier3_min, rules_set.workers_tier3_points),
        (rules_set.workers_tier2_min, rules_set.workers_tier2_points),
        (rules_set.workers_tier1_min, rules_set.workers_tier1_points),
    ):
        if workers >= minimum:
            return _factor("workers", f"涉及劳动者{workers}人（≥{minimum}人）", points)
    return None


def amount_factor(facts: CaseFacts) -> RiskFactor | None:
    if not _amount_reached(facts.claims, facts.today):
        return None
    return _factor(
        "amount_276_1",
        "欠薪金额达到拒不支付劳动报酬罪立案标准",
        facts.rules.amount_threshold_points,
    )


def project_factor(facts: CaseFacts) -> RiskFactor | None:
    case, employer = facts.case, facts.case.employer
    reasons = []
    if case.sector == "construction" or employer.sector == "construction":
        reasons.append("建筑施工项目")
    if employer.state_owned_or_government_project:
        reasons.append("政府投资或国企项目")
    if employer.closed_under_policy:
        reasons.append("产业政策关停企业")
    if not reasons:
        return None
    return _factor("project", "、".join(reasons), facts.rules.project_points)


def overdue_factor(facts: CaseFacts) -> RiskFactor | None:
    if not facts.overdue:
        return None
    days = (facts.today - facts.case.deadline).days
    return _factor("overdue", f"已超过法定期限{days}天", facts.rules.overdue_points)


def deadline_pressure_factor(facts: CaseFacts) -> RiskFactor | None:
    """Most of the clock used before the deadline (once overdue, overdue_factor counts)."""
    if facts.overdue:
        return None
    stage, used = facts.days_used
    limit = {
        "investigation": facts.rules.pressure_investigation_days,
        "award": facts.rules.pressure_award_days,
    }.get(stage)
    if limit is None or used <= limit:
        return None
    unit = "个工作日" if stage == "investigation" else "天"
    return _factor(
        "deadline_pressure",
        f"办案期限已用{used}{unit}（超过{limit}{unit}）",
        facts.rules.pressure_points,
    )


def season_factor(facts: CaseFacts) -> RiskFactor | None:
    season, label = in_season(facts.today, facts.rules)
    return _factor("season", label, facts.rules.season_points) if season else None


def repeat_factor(facts: CaseFacts) -> RiskFactor | None:
    rules_set = facts.rules
    since = day_start(facts.today - dt.timedelta(days=rules_set.repeat_window_days))
    repeat = (
        Case.objects.filter(employer_id=facts.case.employer_id, received_at__gte=since)
        .aggregate(n=Count("id"))
        .get("n")
    )
    if repeat < rules_set.repeat_min_complaints:
        return None
    return _factor(
        "repeat",
        f"{rules_set.repeat_window_days}天内同一单位被投诉{repeat}次",
        rules_set.repeat_points,
    )


def employer_history_factor(facts: CaseFacts) -> RiskFactor | None:
    history = []
    if facts.case.employer.is_blacklisted(facts.today):
        history.append("列入欠薪黑名单")
    ignored = CaseEvent.objects.filter(
        case__employer_id=facts.case.employer_id, transition="penalize"
    ).aggregate(last=Max("created_at"))["last"]
    if ignored is not None:
        history.append("曾拒不履行限期支付指令")
    if not history:
        return None
    return _factor("employer_history", "、".join(history), facts.rules.history_points)


def threat_factor(facts: CaseFacts) -> RiskFactor | None:
    threat = facts.threat_words
    if not threat:
        return None
    return _factor(
        "threat",
        "以自伤或极端行为相威胁：" + "、".join(threat) + "（需人工研判）",
        facts.rules.distress_points,
        words=threat,
        review=True,
    )


def distress_factor(facts: CaseFacts) -> RiskFactor | None:
    distress = facts.distress_words
    if not distress:
        return None
    return _factor(
        "distress",
        "诉求中含极端言辞：" + "、".join(distress) + "（需人工研判）",
        facts.rules.distress_points,
        words=distress,
        review=True,
    )


FACTORS: tuple[Callable[[CaseFacts], RiskFactor | None], ...] = (
    workers_factor,
    amount_factor,
    project_factor,
    overdue_factor,
    deadline_pressure_factor,
    season_factor,
    repeat_factor,
    employer_history_factor,
    threat_factor,
    distress_factor,
)


# --- straight to red, whatever the points ------------------------------------------------


def threat_override(facts: CaseFacts) -> str | None:
    threat = facts.threat_words
    return "以自伤或极端行为相威胁（" + "、".join(threat) + "）" if threat else None


def police_override(facts: CaseFacts) -> str | None:
    return "已移送公安机关" if facts.case.state == CaseState.TRANSFERRED else None


def petition_override(facts: CaseFacts) -> str | None:
    petition = [w for w in keywords(RiskKeyword.Kind.PETITION) if w in facts.text]
    return "已到信访部门（" + "、".join(petition) + "）" if petition else None


RED_OVERRIDES: tuple[Callable[[CaseFacts], str | None], ...] = (
    threat_override,
    police_override,
    petition_override,
)


def score_case(
    case: Case,
    *,
    rules_set: RiskRuleSet | None = None,
    today: dt.date | None = None,
    calendar: WorkingCalendar | None = None,
) -> RiskResult:
    rules_set = rules_set or current_rules()
    today = today or timezone.localdate()
    if case.state in FINAL_STATES:
        return RiskResult(0, RiskLevel.GREEN, [], rules_set.version)
    facts = CaseFacts(case, rules_set=rules_set, today=today, calendar=calendar)
    found = [factor(facts) for factor in FACTORS]
    factors = [f for f in found if f and f["points"]]  # a weight tuned to 0 explains nothing
    score = min(MAX_SCORE, sum(f["points"] for f in factors))
    overrides = [reason for override in RED_OVERRIDES if (reason := override(facts))]
    level: str
    if overrides:
        factors.append(_factor("red_override", "、".join(overrides) + "：直接红色", 0))
        score, level = max(score, rules_set.red_from), RiskLevel.RED
    else:
        level = rules_set.level_for(score)
    return RiskResult(
        score=score,
        level=level,
        factors=factors,
        rules_version=rules_set.version,
        needs_review=bool(facts.distress_words or facts.threat_words),
        distress_words=facts.distress_words,
        threat_words=facts.threat_words,
    )
