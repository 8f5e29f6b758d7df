"""Demo cases: a few hundred in every state, filed through the complaint service and
moved only through the real transition service, dated after their filing, so events,
deadlines and clocks are the ones the system computes. What follows a case change (its
risk score and alerts, the workers' confirmation SMS) runs once per case when all cases
exist, not after each of the ~1,400 steps: only the last score counts. Cases are created
only when there are no demo cases yet."""

import datetime as dt
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from cases import errors, filing, reference, services
from cases.management.progress import Progress
from cases.models import Case, CaseKind, CaseState, Channel, SourceReference
from cases.signals import complaint_filed, signals_held
from core.models import Township
from demo.base import FIRST, SECOND, Demo
from demo.people import money, person
from demo.scenarios import SCENARIOS
from demo.staff import LOCAL_STAFF
from demo.steps import Act, Plan
from notifications import clue_alerts
from notifications import demo as notices_demo

WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE
HISTORY_DAYS = 420  # about 14 months of cases

# Monthly pay by sector (yuan), for plausible claim amounts.
WAGES = {
    "construction": (4500, 7500),
    "steel_coke": (3500, 5500),
    "mining": (5000, 8000),
    "manufacturing": (2800, 4800),
    "services": (2200, 3800),
    "agriculture": (2000, 3200),
    "transport": (4000, 6500),
    "other": (2500, 4000),
}
JOBS = {
    "construction": ["钢筋工", "木工", "瓦工", "架子工", "塔吊司机", "小工"],
    "steel_coke": ["炼焦工", "化产工", "装煤车司机", "电工", "保全工"],
    "mining": ["井下工", "装载机司机", "洗煤工"],
    "manufacturing": ["操作工", "缝纫工", "电焊工", "包装工", "质检员"],
    "services": ["服务员", "厨师", "保洁员", "收银员", "保安"],
    "agriculture": ["饲养员", "分拣工", "冷库搬运工"],
    "transport": ["货车司机", "装卸工", "押运员"],
    "other": ["临时工"],
}
DISTRESS = [
    "工友们说再不给钱就要去县政府集体上访。",
    "有人说要爬上塔吊讨薪，大家情绪很激动。",
    "大家商量着要去项目门口拉横幅。",
]
LD_CLAIMS = [
    "单位未与本人签订书面劳动合同，请求支付二倍工资差额{amount}元。",
    "单位以企业关停为由解除劳动合同，未支付经济补偿，请求支付经济补偿{amount}元。",
    "工作期间长期加班，单位未支付加班费，请求支付加班费{amount}元。",
    "单位未依法缴纳社会保险，本人被迫解除劳动合同，请求支付经济补偿{amount}元。",
    "本人工作中受伤，单位拒付停工留薪期工资及医疗费共{amount}元。",
]

CHANNEL_WEIGHTS = [
    (Channel.ONLINE, 35),
    (Channel.HOTLINE_12345, 20),
    (Channel.HOTLINE_12333, 15),
    (Channel.WALK_IN, 15),
    (Channel.LETTER, 3),
    (Channel.PATROL, 5),
    (Channel.PLATFORM, 7),
]


def run(demo: Demo) -> None:
    if Case.objects.filter(is_demo=True).exists():
        demo.stdout.write("已有演示案件，跳过创建。Demo cases already exist; not creating more.")
        return
    if demo.cases < len(CaseState):
        demo.stdout.write(
            f"注意：{demo.cases}个案件不足以覆盖全部状态。Too few cases for every state."
        )
    # The demo's hearings are served in person, so its deemed withdrawals may proceed.
    notices_demo.demo_notices_prepare()
    with signals_held() as held:
        with transaction.atomic():
            seed_cases(demo)
    follow_up(demo, held)
    platform_clues(demo)


# The demo's platform clues are due this many days after their receipt (invented: the
# platform sets each clue's own limit, which the case import reads).
DEMO_PLATFORM_DAYS = 30


def platform_clues(demo):
    """The cases the national platform sent get their clue number and the platform's
    deadline, as the case import gives them; the clues of open cases whose deadline
    nears or passed raise their alerts at once (the periodic scan would, later)."""
    cases = Case.objects.filter(is_demo=True, channel=Channel.PLATFORM).order_by("received_at")
    SourceReference.objects.bulk_create(
        [
            SourceReference(
                channel=Channel.PLATFORM,
                ref=f"QX{timezone.localtime(case.received_at):%Y%m%d}{case.pk:05d}",
                case=case,
                platform_due=timezone.localtime(case.received_at).date()
                + dt.timedelta(days=DEMO_PLATFORM_DAYS),
            )
            for case in cases
        ],
        ignore_conflicts=True,
    )
    clue_alerts.clue_deadline_scan()


def seed_cases(demo):
    employers, count = demo.employers, demo.cases
    rng = demo.rng
    by_township = {}
    for employer in employers:
        by_township.setdefault(employer.township.code, []).append(employer)
    townships = {t.code: t for t in Township.objects.all()}
    weights = [s.weight for s in SCENARIOS]
    chosen = SCENARIOS[:count] + rng.choices(SCENARIOS, weights, k=max(0, count - len(SCENARIOS)))
    demo.id_numbers = set()
    planned = [plan_case(demo, s, by_township, townships) for s in chosen]
    planned.sort(key=lambda item: item["received_at"])  # case numbers follow time
    progress = Progress(demo.stderr, "演示案件 Demo cases   ", len(planned))
    for item in planned:
        run_case(demo, item)
        progress.step()
    progress.finish()


def follow_up(demo, held):
    """What the held signals would have done, once per case: the follow-up of its
    last change (its score and alerts with the case as it now stands; a case still
    as filed also gets the workers' confirmation SMS). Cases still as filed come
    last, when every other case has its score, so their employer's other cases need
    no new one. One transaction: on SQLite every commit is a disk sync."""
    last = {}
    for signal, sender, kwargs in held:
        last.pop(kwargs["case_id"], None)  # keeps the order of the last changes
        last[kwargs["case_id"]] = (signal, sender, kwargs)
    pending = sorted(last.values(), key=lambda item: item[0] is complaint_filed)
    progress = Progress(demo.stderr, "风险评分 Risk scoring ", len(pending))
    with transaction.atomic():
        for signal, sender, kwargs in pending:
            signal.send(sender=sender, **kwargs)
            progress.step()
    progress.finish()


def plan_case(demo, scenario, by_township, townships):
    rng = demo.rng
    if scenario.where == "any":
        others = [code for code, _ in reference.TOWNSHIPS[2:]]
        code = rng.choice([FIRST] * 4 + [SECOND] * 4 + others)
    elif scenario.where == "local":
        code = rng.choice([FIRST, SECOND])
    else:
        code = scenario.where
    plan = Plan(rng=rng, township=code)
    scenario.build(plan)
    span = plan.t
    oldest = span + scenario.window if scenario.window is not None else HISTORY_DAYS
    age = rng.randint(span + 1, max(span + 1, oldest))
    received_on = demo.today - dt.timedelta(days=age)
    channel = rng.choices([c for c, _ in CHANNEL_WEIGHTS], [w for _, w in CHANNEL_WEIGHTS])[0]
    received_at = timezone.make_aware(
        dt.datetime.combine(received_on, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
    )
    employer = rng.choice(by_township[code])
    claimants, description, project = make_claimants(demo, scenario, employer)
    return {
        "scenario": scenario,
        "township": townships[code],
        "employer": employer,
        "received_at": received_at,
        "channel": channel,
        "claimants": claimants,
        "description": description,
        "project": project,
        "steps": plan.steps,
    }


def make_claimants(demo, scenario, employer):
    rng = demo.rng
    sector = employer.sector
    crowd_prone = sector in ("construction", "steel_coke", "mining") or employer.closed_under_policy
    collective = scenario.profile != "below" and rng.random() < (0.3 if crowd_prone else 0.05)
    if scenario.profile == "below":
        size = 1
    elif collective:
        size = rng.randint(10, 36)
    else:
        size = rng.choices([1, 2, 3, 4, 6], [60, 15, 10, 8, 7])[0]
    representatives = rng.randint(3, 5)  # a collective case elects 3-5
    low, high = WAGES.get(sector, WAGES["other"])
    people = []
    for index in range(size):
        name, id_number, phone = person(demo)
        wage = rng.randint(low, high)
        if scenario.kind == WA:
            months = rng.randint(1, 6)
            if scenario.profile == "police" and index == 0:
                months = rng.randint(3, 8)
            if scenario.profile == "below":
                months = rng.randint(1, 2)
            amount = money(round(wage * months * rng.uniform(0.6, 1.0), -1))
            if scenario.profile == "police" and index == 0:
                amount = max(amount, money(rng.randint(5000, 9000)))
            if scenario.profile == "below":
                amount = min(amount, money(4200))
        else:
            months = rng.choice([None, None, rng.randint(1, 3)])
            amount = money(round(wage * rng.uniform(1.5, 12), -1))
        people.append(
            filing.ClaimantInput(
                name=name,
                id_number=id_number,
                phone=phone,
                amount_claimed=amount,
                months_owed=months,
                is_representative=collective and index < representatives,
            )
        )
    projects = demo.projects.get(employer.pk)
    project = rng.choice(projects) if projects else ""
    return people, describe(demo, scenario.kind, employer, project, people), project


def describe(demo, kind, employer, project, people):
    rng = demo.rng
    total = sum((c.amount_claimed for c in people), Decimal("0"))
    months = max((c.months_owed or 0) for c in people)
    job = rng.choice(JOBS.get(employer.sector, JOBS["other"]))
    if kind == LD and len(people) >= 10:
        closed = "关停后" if employer.closed_under_policy else ""
        return (
            f"{employer.name}{closed}与我们{len(people)}名职工解除劳动合同，未依法支付经济补偿，"
            f"请求支付经济补偿共计{total:.0f}元。"
        )
    if kind == LD:
        text = rng.choice(LD_CLAIMS).format(amount=f"{people[0].amount_claimed:.0f}")
        return f"申请人共{len(people)}人。{text}" if len(people) > 1 else text
    if len(people) >= 10:
        where = f"在{project}" if project else f"在{employer.name}"
        text = f"我们{len(people)}名工人{where}干活，被拖欠{months}个月工资共约{total:.0f}元，"
        text += "包工头已联系不上，项目部推说工程款没到位。"
    elif employer.closed_under_policy:
        text = f"{employer.name}关停后，拖欠本人{months}个月工资和生活费共{total:.0f}元，至今没有说法。"
    elif project:
        text = (
            f"本人在{project}工地当{job}，{months}个月工资共{total:.0f}元至今未付，多次讨要无果。"
        )
    else:
        text = (
            f"本人在{employer.name}任{job}，单位拖欠{months}个月工资{total:.0f}元，请求责令支付。"
        )
    if rng.random() < 0.05:
        text += rng.choice(DISTRESS)
    return text


def run_case(demo, item):
    scenario = item["scenario"]
    township = item["township"]
    intake_role = "inspector" if scenario.kind == WA else "arbitrator"
    intake = LOCAL_STAFF.get(township.code, {}).get(intake_role, "supervisor")
    actor = None if item["channel"] == Channel.ONLINE else demo.users[intake]
    result = filing.complaint_file(
        kind=scenario.kind,
        employer_name=item["employer"].name,
        employer_uscc=item["employer"].uscc,
        employer_address=item["employer"].address,
        township=township,
        claimants=item["claimants"],
        description=item["description"],
        sector=item["employer"].sector,
        project_name=item["project"],
        channel=item["channel"],
        received_at=item["received_at"],
        actor=actor,
        is_demo=True,
    )
    if not result.created:
        raise CommandError(f"demo complaint linked to {result.case.number} as a duplicate")
    case = result.case
    received_on = timezone.localtime(item["received_at"]).date()
    for step in item["steps"]:
        today = min(demo.today, received_on + dt.timedelta(days=step.offset))
        username = LOCAL_STAFF.get(township.code, {}).get(step.role, "supervisor")
        act = Act(case=case, today=today, township=township.code)
        data = step.data(act) if callable(step.data) else dict(step.data)
        try:
            case = services.case_transition(
                case_number=case.number,
                name=step.name,
                actor=demo.users[username],
                data=data,
                today=today,
            )
        except errors.DomainError as error:
            raise CommandError(
                f"{case.number} ({scenario.key}) {step.name} by {username} on {today}: "
                f"{error.message} {error.errors}"
            ) from error
    if case.state != scenario.target:
        raise CommandError(
            f"{case.number} ({scenario.key}) ended in {case.state}, not {scenario.target}"
        )
