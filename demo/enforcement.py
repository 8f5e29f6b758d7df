"""Demo blacklist: one employer listed, one proposed and one whose three years have
passed (expired), each from a wage-arrears case whose order to pay was ignored, made
through the real transitions and services (inspector1 proposes, supervisor decides)."""

import datetime as dt
import random
from decimal import Decimal

from cases import filing
from cases import services as case_services
from cases.claimants import ClaimantInput
from cases.signals import signals_held
from core.models import Township
from demo.base import FIRST, Demo
from demo.cases import follow_up
from demo.people import make_uscc, person
from enforcement import services
from enforcement.models import BlacklistEntry, ResponsiblePerson
from notifications.notices import case_contact_add

# employer, what happens to its entry, days before today the order's deadline passed
EMPLOYERS = [
    ("襄汾县恒达建筑劳务有限公司", "listed", 40),
    ("襄汾县鑫隆钢构工程有限公司", "proposed", 20),
    ("襄汾县顺通土石方工程有限公司", "expired", 3 * 366 + 60),
]


def run(demo: Demo) -> None:
    if BlacklistEntry.objects.filter(is_demo=True).exists():
        return
    # Each case is scored once, when its entry is made (demo.cases.follow_up).
    with signals_held() as held:
        _entries(demo)
    follow_up(demo, held)


def _entries(demo: Demo) -> None:
    inspector, supervisor = demo.users["inspector1"], demo.users["supervisor"]
    rng = random.Random(45)
    for name, outcome, overdue in EMPLOYERS:
        case = _ignored_case(demo, rng, name, demo.today - dt.timedelta(days=overdue))
        decided_on = demo.today if outcome != "expired" else case.pay_by + dt.timedelta(days=10)
        entry = services.blacklist_propose(
            case_number=case.number,
            actor=inspector,
            reasons="用人单位经责令限期支付逾期仍未支付，拖欠数额达到拒不支付劳动报酬罪数额标准。",
            today=decided_on,
        )
        if outcome == "proposed":
            continue
        legal, id_number, _ = person(demo, 35, 60)
        services.blacklist_decide(
            entry_id=entry.pk,
            actor=supervisor,
            approve=True,
            note="经集体研究，同意列入。",
            responsible_persons=[
                {
                    "name": legal,
                    "role": ResponsiblePerson.Role.LEGAL_REPRESENTATIVE,
                    "id_number": id_number,
                }
            ],
            today=decided_on,
        )
        if outcome == "listed":
            case_contact_add(case=case, name="财务联系人", phone="13903571234")
            services.blacklist_employer_notify(entry_id=entry.pk, actor=inspector, how="sms")
        else:
            entry.refresh_from_db()
            services.blacklist_expire_due(today=entry.listed_until + dt.timedelta(days=1))


def _ignored_case(demo: Demo, rng: random.Random, employer: str, pay_by: dt.date):
    """A wage-arrears case ordered to pay by `pay_by`, nothing paid."""
    start = pay_by - dt.timedelta(days=30)
    workers = []
    for _ in range(rng.randint(3, 6)):
        name, id_number, phone = person(demo)
        amount = Decimal(rng.randrange(60, 150) * 100)
        workers.append(ClaimantInput(name, id_number, phone, amount, rng.randint(3, 6)))
    result = filing.complaint_file(
        kind="wage_arrears",
        employer_name=employer,
        employer_uscc=make_uscc(employer),
        township=Township.objects.get(code=FIRST),
        claimants=workers,
        description="工程完工后工资一直未结清",
        sector="construction",
        received_at=_noon(start),
        is_demo=True,
    )
    case = result.case
    inspectors = ["inspector1", "inspector1b"]
    steps = [
        ("accept", {"inspectors": inspectors}, 1),
        ("hear_employer", {"note": "单位称工程款未到位"}, 5),
        ("order_payment", {"pay_by": pay_by.isoformat()}, 8),
    ]
    for name, data, days in steps:
        case_services.case_transition(
            case_number=case.number,
            name=name,
            actor=demo.users["inspector1"],
            data=data,
            today=start + dt.timedelta(days=days),
        )
    case.refresh_from_db()
    return case


def _noon(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
