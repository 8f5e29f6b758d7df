"""Builders for the blacklist and publication tests: staff, and a wage-arrears case
taken to an ignored order to pay through the real transitions."""

import datetime as dt

from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from cases import services as case_services
from enforcement import services
from tests.factories import claimant, file_case, staff

DAY0 = dt.date(2026, 3, 2)  # a Monday
PAY_BY = DAY0 + dt.timedelta(days=20)
AFTER = DAY0 + dt.timedelta(days=30)  # the order's day has passed
RESPONSIBLE = {"name": "李建国", "role": "legal_representative", "id_number": "110105194912310150"}


def make_people() -> dict:
    people = {
        "inspector": staff("insp_a", "inspector"),
        "inspector_b": staff("insp_b", "inspector"),
        "mediator": staff("med", "mediator"),
        "supervisor": staff("sup", "supervisor", townships=(), county_level=True),
        "supervisor_b": staff("sup_b", "supervisor", townships=(), county_level=True),
        "other_township": staff("insp_z", "inspector", townships=("zhaokang",)),
    }
    return people


def run(case, name, actor, day, **data):
    return case_services.case_transition(
        case_number=case.number, name=name, actor=actor, data=data, today=day
    )


def ordered_case(
    people, *, claimants=None, pay=None, employer="襄汾县失信测试建筑有限公司", note=""
):
    """A wage-arrears case whose order to pay (by PAY_BY) was issued on DAY0+6.

    `pay`: (amount, day) of a payment recorded for the first worker.
    """
    case = file_case(
        employer=employer, claimants=claimants or [claimant(0, amount="8000.00", months=3)]
    )
    inspector = people["inspector"]
    run(case, "accept", inspector, DAY0 + dt.timedelta(days=1), inspectors=["insp_a", "insp_b"])
    run(case, "hear_employer", inspector, DAY0 + dt.timedelta(days=5), note=note or "单位称无钱")
    run(case, "order_payment", inspector, DAY0 + dt.timedelta(days=6), pay_by=PAY_BY.isoformat())
    if pay:
        amount, day = pay
        first = case.claims.order_by("id").first()
        run(
            case, "record_payment", inspector, day, payments=[{"claim": first.pk, "amount": amount}]
        )
    case.refresh_from_db()
    return case


def proposed(people, case=None, **kwargs):
    case = case or ordered_case(people, **kwargs)
    return services.blacklist_propose(
        case_number=case.number, actor=people["inspector"], reasons="逾期拒不支付", today=AFTER
    )


def listed(people, case=None, today=AFTER, **kwargs):
    entry = proposed(people, case, **kwargs)
    return services.blacklist_decide(
        entry_id=entry.pk,
        actor=people["supervisor"],
        approve=True,
        note="同意列入",
        responsible_persons=[RESPONSIBLE],
        today=today,
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def also_in(user, role: str):
    user.groups.add(Group.objects.get(name=role))
    user._laborcase_roles = None
    return user


def browser(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
