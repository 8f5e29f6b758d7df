"""Builders for tests: the reference rows, staff users with roles and townships, claimants
and filed cases. The one place tests make staff (staff) and reference data
(reference_rows, behind the reference_data fixture of tests/conftest.py)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from cases import filing
from core.models import StaffProfile, Township

VALID_IDS = [
    "11010519491231002X",
    "110105194912310038",
    "110105194912310046",
    "110105194912310054",
    "110105194912310062",
    "110105194912310070",
    "110105194912310089",
    "110105194912310097",
    "11010519491231010X",
    "110105194912310118",
    "110105194912310126",
    "110105194912310134",
    "110105194912310142",
    "110105194912310150",
]


def reference_rows() -> None:
    """The reference rows a freshly migrated database holds: roles, townships, rule
    tables, risk rules, subsidy policies. Each loader is idempotent."""
    from django.apps import apps

    from cases import reference
    from rules import policies, risk_reference

    reference.load(apps)
    risk_reference.load(apps)
    policies.load(apps)


def staff(username, role, townships=("xincheng",), county_level=False):
    """A staff user in one role group, with the townships of their jurisdiction (or the
    whole county); password "pw-for-tests-1"."""
    user = User.objects.create_user(username=username, password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name=role))
    profile = StaffProfile.objects.create(user=user, county_level=county_level)
    profile.townships.set(Township.objects.filter(code__in=townships))
    return user


def claimant(index=0, amount="8000.00", months=3, representative=False):
    return filing.ClaimantInput(
        name=f"工人{index}",
        id_number=VALID_IDS[index],
        phone=f"1380013{index:04d}",
        amount_claimed=Decimal(amount),
        months_owed=months,
        is_representative=representative,
    )


def file_case(
    kind="wage_arrears",
    township="xincheng",
    employer="襄汾县测试建筑有限公司",
    claimants=None,
    received_on: dt.date | None = None,
):
    received_at = None
    if received_on:
        received_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(10, 0)))
    result = filing.complaint_file(
        kind=kind,
        employer_name=employer,
        township=Township.objects.get(code=township),
        claimants=claimants or [claimant()],
        description="拖欠工资三个月",
        received_at=received_at,
    )
    return result.case
