"""Demo data of the re-employment ledger (seed_demo calls seed_employment_demo once).

Invented villages for every township, the steward and township-station users, the two
coke plants of the demo employers registered closed with their rosters, a few hundred
people in every category and state, postings, referrals with outcomes, this year's
targets, and 1+3+1 items both done and overdue, so the screen and the monthly dispatch
show something real on first run. Everything is marked is_demo; a second run adds
nothing.
"""

import datetime as dt
import hashlib
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from core import roles
from core.models import Employer, StaffProfile, Township, Village
from employment import referrals, screen_tally, selectors, services
from employment.models import (
    Category,
    ClosedPlant,
    JobPosting,
    LedgerEntry,
    Mode,
    Referral,
    ServiceItem,
    Status,
    Target,
    TownshipShare,
)

FIRST, SECOND = "xincheng", "zhaokang"
# The demo employers seed_demo registers closed (cases/management/commands/seed_demo.py).
PLANTS = [
    ("襄汾县新城恒泰焦化有限公司", FIRST, dt.date(2023, 12, 31), 160, "1860000", "420000"),
    ("襄汾县赵康鑫达焦化有限公司", SECOND, dt.date(2024, 3, 31), 120, "1240000", "265000"),
]
VILLAGE_NAMES = ["东关村", "西街村", "南王村", "北贾村", "城东社区"]
USERS = [
    # username, display name, role, township, villages (indexes into VILLAGE_NAMES)
    ("steward1", "韩桂英", roles.EMPLOYMENT_STEWARD, FIRST, [0, 1]),
    ("steward1b", "牛振华", roles.EMPLOYMENT_STEWARD, FIRST, [2, 3, 4]),
    ("steward2", "薛红梅", roles.EMPLOYMENT_STEWARD, SECOND, [0, 1, 2, 3, 4]),
    ("station1", "卫建国", roles.EMPLOYMENT_STATION, FIRST, []),
    ("station2", "段丽娟", roles.EMPLOYMENT_STATION, SECOND, []),
]
# Openings of the seed_demo employers (created here when the ledger is seeded alone).
POSTINGS = [
    ("山西汾河宏达建筑工程有限公司", "钢筋工", "6000-8000元/月", "新城镇", True),
    ("山西汾河宏达建筑工程有限公司", "安全员", "4500元/月", "新城镇", True),
    ("襄汾县顺通物流有限公司", "叉车司机", "5000-6000元/月", "新城镇", True),
    ("襄汾县悦来大酒店有限公司", "客房服务员", "3500元/月", "新城镇", False),
    ("山西赵康新型建材有限公司", "生产线操作工", "4500-5500元/月", "赵康镇", True),
    ("襄汾县襄陵果蔬冷链有限公司", "冷库管理员", "3800元/月", "襄陵镇", False),
    ("山西襄汾新能源装备制造有限公司", "数控车工", "5500-7000元/月", "经济开发区", True),
    ("临汾华晋电子科技有限公司", "装配工", "4200元/月", "经济开发区", False),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = [
    "建军",
    "秀兰",
    "志刚",
    "海燕",
    "永红",
    "丽萍",
    "文斌",
    "春梅",
    "国强",
    "红霞",
    "俊杰",
    "晓燕",
    "建平",
    "桂英",
    "振华",
    "小龙",
    "鹏",
    "婷",
    "磊",
    "静",
    "涛",
    "敏",
    "强",
    "芳",
]
TRAINING = ["电工", "焊工", "叉车", "家政", "育婴员", "电商直播", "中式烹调", "汽车维修", ""]


def _uscc(name: str) -> str:
    digits = int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**9
    base = "91141023" + f"{digits:09d}"
    return base + uscc.calc_check_digit(base)


def _id_number(rng: random.Random, used: set) -> str:
    while True:
        born = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 34))
        # Xiangfen is 141023 since 2000; people born before carry 142623 (Linfen prefecture).
        region = "141023" if born.year >= 2000 else "142623"
        body = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in used:
            used.add(number)
            return number


def seed_employment_demo(*, password_hash: str, stdout=None, today: dt.date | None = None) -> None:
    """The ledger's demo data; safe to run twice (the second run changes nothing).

    password_hash: the demo users' password, already hashed (hashing takes ~0.3 s).
    """
    today = today or timezone.localdate()
    rng = random.Random(14)
    with transaction.atomic(), services.signals_quiet():
        villages = _villages()
        _users(password_hash, villages)
        if ClosedPlant.objects.filter(is_demo=True).exists():
            if stdout:
                stdout.write("已有就业台账演示数据，跳过。Demo ledger exists; not adding more.")
            return
        county = get_user_model().objects.filter(username="county").first()
        plants = _plants()
        postings = _postings(today)
        entries = _people(rng, villages, plants, today, county)
        _progress(rng, entries, postings, today, county)
        _targets(today.year)
        # The progress above is partly written in bulk, past the services: these
        # entries' share of the screen's tallies again.
        screen_tally.refresh([e.pk for e in entries])
        transaction.on_commit(selectors.screen_summary_forget)
    if stdout:
        counts = LedgerEntry.objects.filter(is_demo=True).count()
        stdout.write(
            f"就业台账演示数据 Demo ledger: {counts} people, {len(plants)} closed plants, "
            f"{len(postings)} postings; users steward1, steward1b, steward2 (村就业管家), "
            "station1, station2 (乡镇就业服务站)"
        )


def _villages() -> dict[str, list[Village]]:
    found = {}
    for township in Township.objects.order_by("sort_order"):
        found[township.code] = []
        for order, name in enumerate(VILLAGE_NAMES):
            village, _ = Village.objects.get_or_create(
                township=township,
                name=name,
                defaults={
                    "code": f"{township.code}-{order + 1}",
                    "kind": Village.Kind.COMMUNITY if name.endswith("社区") else "village",
                    "sort_order": order,
                },
            )
            found[township.code].append(village)
    return found


def _users(hashed, villages) -> None:
    User = get_user_model()
    # The groups come with the migrations; a flushed test database may lack them.
    groups = {role: Group.objects.get_or_create(name=role)[0] for _u, _d, role, _t, _v in USERS}
    for username, display, role, township, village_indexes in USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.is_active, user.password = display, "", True, hashed
        user.save()
        user.groups.set([groups[role]])
        profile, _ = StaffProfile.objects.get_or_create(user=user)
        if role == roles.EMPLOYMENT_STATION:
            profile.townships.set(Township.objects.filter(code=township))
        else:
            profile.townships.set([])
        for index in village_indexes:
            villages[township][index].stewards.add(user)


def _plants() -> list[ClosedPlant]:
    plants = []
    for name, code, closed_on, laid_off, severance, wages in PLANTS:
        employer = Employer.objects.filter(name=name).first()
        plants.append(
            services.plant_register(
                actor=None,
                name=name,
                uscc=employer.uscc if employer and employer.uscc else _uscc(name),
                township=Township.objects.get(code=code),
                closed_on=closed_on,
                laid_off=laid_off,
                severance_owed=Decimal(severance),
                wages_owed=Decimal(wages),
                is_demo=True,
            )
        )
    return plants


def _postings(today) -> list[JobPosting]:
    townships = {t.name: t for t in Township.objects.all()}
    postings = []
    for index, (name, title, pay, place, first) in enumerate(POSTINGS):
        employer = Employer.objects.filter(name=name, closed_under_policy=False).first()
        employer = employer or Employer.objects.create(
            name=name,
            uscc=_uscc(name),
            township=townships.get(place),
            sector=Employer.Sector.OTHER,
            is_demo=True,
        )
        postings.append(
            JobPosting.objects.create(
                employer=employer,
                title=title,
                pay=pay,
                place=f"襄汾县{place}",
                township=townships.get(place),
                openings=5 + index * 3,
                prefers_closed_plant=first,
                posted_on=today - dt.timedelta(days=120 - index * 10),
                is_demo=True,
            )
        )
    return postings


def _people(rng, villages, plants, today, county) -> list[LedgerEntry]:
    used = set()
    entries = []
    year_start = dt.date(today.year, 1, 1)
    local = {FIRST: villages[FIRST], SECOND: villages[SECOND]}
    everywhere = [v for vs in villages.values() for v in vs]

    def add(category, village, plant=None):
        earliest = max(year_start - dt.timedelta(days=60), plant.closed_on if plant else year_start)
        span = max((today - earliest).days, 1)
        entered = earliest + dt.timedelta(days=rng.randint(0, span))
        entry = services.entry_add(
            actor=county,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            id_number=_id_number(rng, used),
            phone=f"13{rng.randint(0, 9)}{rng.randint(0, 10**8 - 1):08d}",
            category=category,
            village=village,
            plant=plant,
            wants_work=rng.random() < 0.92,
            training_needs=rng.choice(TRAINING),
            entered_on=min(entered, today),
            note="演示数据",
            is_demo=True,
        )
        entries.append(entry)

    for plant, count in zip(plants, (96, 74), strict=True):
        home = local[FIRST] if plant.township.code == FIRST else local[SECOND]
        for _ in range(count):
            # Most live near the plant; some in other townships.
            village = rng.choice(home) if rng.random() < 0.8 else rng.choice(everywhere)
            add(Category.LAID_OFF, village, plant)
    others = [
        (Category.URBAN_UNEMPLOYED, 70),
        (Category.RURAL_TRANSFER, 90),
        (Category.GRADUATE, 30),
        (Category.HARD_TO_EMPLOY, 20),
    ]
    for category, count in others:
        for _ in range(count):
            home = local[FIRST] + local[SECOND]
            village = rng.choice(home) if rng.random() < 0.6 else rng.choice(everywhere)
            add(category, village)
    LedgerEntry.objects.filter(pk__in=[e.pk for e in entries]).update(is_demo=True)
    services.services_create(entries)
    return entries


def _progress(rng, entries, postings, today, county) -> None:
    """Services given, referrals and their outcomes, people back at work."""
    items = {}
    for item in ServiceItem.objects.filter(entry__in=entries).order_by("entry_id", "kind", "seq"):
        items.setdefault(item.entry_id, []).append(item)
    done = []
    for entry in entries:
        age = (today - entry.entered_on).days
        diligence = rng.random()
        for item in items.get(entry.pk, []):
            if item.kind == ServiceItem.Kind.JOB_REFERRAL:
                continue
            # Older entries mostly served; a few left overdue for the alerts.
            if age > 5 and diligence < 0.85:
                item.done_on = entry.entered_on + dt.timedelta(days=rng.randint(1, min(age, 25)))
                item.done_by = county
                done.append(item)
    ServiceItem.objects.bulk_update(done, ["done_on", "done_by"])
    for entry in entries:
        age = (today - entry.entered_on).days
        if age < 3:
            continue
        referral_count = rng.choices([0, 1, 2, 3], [15, 25, 25, 35])[0]
        referred_on = entry.entered_on
        for posting in rng.sample(postings, referral_count):
            referred_on = min(today, referred_on + dt.timedelta(days=rng.randint(1, 8)))
            referral = referrals.referral_record(
                actor=county, entry_id=entry.pk, posting_id=posting.pk, referred_on=referred_on
            )
            Referral.objects.filter(pk=referral.pk).update(sms_sent=True)
            entry.refresh_from_db()
            if entry.status == Status.EMPLOYED:
                continue
            outcome = rng.choices(["hired", "not_hired", "declined", "pending"], [30, 30, 15, 25])[
                0
            ]
            if outcome == "pending":
                continue
            referrals.referral_outcome_set(
                actor=county,
                referral_id=referral.pk,
                outcome=outcome,
                on=min(today, referred_on + dt.timedelta(days=rng.randint(2, 10))),
            )
        entry.refresh_from_db()
        if entry.status == Status.EMPLOYED or age < 10:
            continue
        # Found work otherwise: flexible, own business, public-welfare post, outside.
        chance = 0.55 if entry.category == Category.LAID_OFF else 0.45
        if rng.random() < chance:
            mode = rng.choice([Mode.FLEXIBLE, Mode.SELF_EMPLOYED, Mode.PUBLIC_WELFARE])
            if entry.category == Category.RURAL_TRANSFER:
                mode = rng.choice([Mode.OUTSIDE, Mode.OUTSIDE, Mode.FLEXIBLE])
            services.ledger_status_change(
                actor=county,
                entry_id=entry.pk,
                status=Status.EMPLOYED,
                mode=mode,
                employer_name="浙江宁波某制造企业" if mode == Mode.OUTSIDE else "",
                employed_on=entry.entered_on + dt.timedelta(days=rng.randint(5, age)),
            )


def _targets(year) -> None:
    target, _ = Target.objects.get_or_create(
        year=year,
        defaults={
            "reemployment_rate": Decimal("90"),
            "urban_new": 5600,
            "rural_transfer": 6000,
            "note": "襄汾县稳就业实施方案 二（演示数据）",
        },
    )
    townships = list(Township.objects.order_by("sort_order"))
    # The two demo townships carry a larger share, like the county seat would.
    weights = [3, 2] + [1] * (len(townships) - 2)
    total = sum(weights)
    for township, weight in zip(townships, weights, strict=True):
        TownshipShare.objects.get_or_create(
            target=target,
            township=township,
            defaults={
                "urban_new": target.urban_new * weight // total,
                "rural_transfer": target.rural_transfer * weight // total,
            },
        )
