"""The escalation-risk score: explainable, rule-based, 0-100 (docs/domain.md, Escalation risk).

`score_case` reads the case and the rule tables and returns the factors behind the
score; it writes nothing (notifications.services stores the result). Each factor is a
dict {code, label, points} so the screen and the case file can say why.

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
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils import timezone

from cases import clocks
from cases.models import FINAL_STATES, Case, CaseEvent, CaseState
from rules import memo
from rules import parameters as rules
from rules.models import RiskKeyword, RiskLevel, RiskRuleSet, SpringFestival
from rules.thresholds import WorkerClaim, wage_refusal_threshold_met

MAX_SCORE = 100
SEASON_FALLBACK_END = (2, 28)  # used only for a year without a Spring Festival entry


@dataclass
class RiskResult:
    score: int
    level: str
    factors: list[dict]
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


def _factor(code: str, label: str, points: int, **extra) -> dict:
    return {"code": code, "label": label, "points": points, **extra}


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


def _days_used(case: Case, today: dt.date, calendar: clocks.WorkingCalendar) -> tuple[str, int]:
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
        day += clocks.ONE_DAY
        if clocks._paused(day, pauses):
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


def score_case(
    case: Case,
    *,
    rules_set: RiskRuleSet | None = None,
    today: dt.date | None = None,
    calendar: clocks.WorkingCalendar | None = None,
) -> RiskResult:
    rules_set = rules_set or current_rules()
    today = today or timezone.localdate()
    if case.state in FINAL_STATES:
        return RiskResult(0, RiskLevel.GREEN, [], rules_set.version)

    factors: list[dict] = []
    claims = list(case.claims.values("amount_claimed", "amount_recovered", "months_owed"))
    workers = len(claims)
    for minimum, points in (
        (rules_set.workers_tier3_min, rules_set.workers_tier3_points),
        (rules_set.workers_tier2_min, rules_set.workers_tier2_points),
        (rules_set.workers_tier1_min, rules_set.workers_tier1_points),
    ):
        if workers >= minimum:
            factors.append(_factor("workers", f"涉及劳动者{workers}人（≥{minimum}人）", points))
            break

    if _amount_reached(claims, today):
        factors.append(
            _factor(
                "amount_276_1",
                "欠薪金额达到拒不支付劳动报酬罪立案标准",
                rules_set.amount_threshold_points,
            )
        )

    employer = case.employer
    project_reasons = []
    if case.sector == "construction" or employer.sector == "construction":
        project_reasons.append("建筑施工项目")
    if employer.state_owned_or_government_project:
        project_reasons.append("政府投资或国企项目")
    if employer.closed_under_policy:
        project_reasons.append("产业政策关停企业")
    if project_reasons:
        factors.append(_factor("project", "、".join(project_reasons), rules_set.project_points))

    if case.deadline and case.deadline < today:
        factors.append(
            _factor(
                "overdue",
                f"已超过法定期限{(today - case.deadline).days}天",
                rules_set.overdue_points,
            )
        )
    else:
        stage, used = _days_used(case, today, calendar or clocks.working_calendar())
        limit = {
            "investigation": rules_set.pressure_investigation_days,
            "award": rules_set.pressure_award_days,
        }.get(stage)
        if limit is not None and used > limit:
            unit = "个工作日" if stage == "investigation" else "天"
            factors.append(
                _factor(
                    "deadline_pressure",
                    f"办案期限已用{used}{unit}（超过{limit}{unit}）",
                    rules_set.pressure_points,
                )
            )

    season, label = in_season(today, rules_set)
    if season:
        factors.append(_factor("season", label, rules_set.season_points))

    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=rules_set.repeat_window_days), dt.time.min)
    )
    repeat = (
        Case.objects.filter(employer_id=case.employer_id, received_at__gte=since)
        .aggregate(n=Count("id"))
        .get("n")
    )
    if repeat >= rules_set.repeat_min_complaints:
        factors.append(
            _factor(
                "repeat",
                f"{rules_set.repeat_window_days}天内同一单位被投诉{repeat}次",
                rules_set.repeat_points,
            )
        )

    history = []
    if employer.is_blacklisted(today):
        history.append("列入欠薪黑名单")
    ignored = CaseEvent.objects.filter(
        case__employer_id=case.employer_id, transition="penalize"
    ).aggregate(last=Max("created_at"))["last"]
    if ignored is not None:
        history.append("曾拒不履行限期支付指令")
    if history:
        factors.append(_factor("employer_history", "、".join(history), rules_set.history_points))

    text = _texts(case)
    threat = [w for w in keywords(RiskKeyword.Kind.THREAT) if w in text]
    if threat:
        factors.append(
            _factor(
                "threat",
                "以自伤或极端行为相威胁：" + "、".join(threat) + "（需人工研判）",
                rules_set.distress_points,
                words=threat,
                review=True,
            )
        )
    distress = [
        w
        for w in keywords(RiskKeyword.Kind.DISTRESS)
        if w in text and not any(w in t for t in threat)
    ]
    if distress:
        factors.append(
            _factor(
                "distress",
                "诉求中含极端言辞：" + "、".join(distress) + "（需人工研判）",
                rules_set.distress_points,
                words=distress,
                review=True,
            )
        )

    factors = [f for f in factors if f["points"]]  # a weight tuned to 0 explains nothing
    score = min(MAX_SCORE, sum(f["points"] for f in factors))
    overrides = []
    if threat:
        overrides.append("以自伤或极端行为相威胁（" + "、".join(threat) + "）")
    if case.state == CaseState.TRANSFERRED:
        overrides.append("已移送公安机关")
    petition = [w for w in keywords(RiskKeyword.Kind.PETITION) if w in text]
    if petition:
        overrides.append("已到信访部门（" + "、".join(petition) + "）")
    if overrides:
        factors.append(_factor("red_override", "、".join(overrides) + "：直接红色", 0))
        score = max(score, rules_set.red_from)
        level = RiskLevel.RED
    else:
        level = rules_set.level_for(score)
    return RiskResult(
        score=score,
        level=level,
        factors=factors,
        rules_version=rules_set.version,
        needs_review=bool(distress or threat),
        distress_words=distress,
        threat_words=threat,
    )
