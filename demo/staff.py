"""Demo staff: the reference rows (roles, townships, rules), then one user per role in
the two demo townships and at county level, all with the same password."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from cases import reference
from core import roles
from core.models import StaffProfile, Township
from demo.base import FIRST, SECOND, Demo

# username, display name, group, township code (None: county level)
USERS = [
    ("inspector1", "王建军", roles.INSPECTOR, FIRST),
    ("inspector1b", "李晓燕", roles.INSPECTOR, FIRST),
    ("mediator1", "张秀兰", roles.MEDIATOR, FIRST),
    ("arbitrator1", "刘志刚", roles.ARBITRATOR, FIRST),
    ("inspector2", "赵永红", roles.INSPECTOR, SECOND),
    # Accepting a wage-arrears case takes two inspectors (docs/domain.md).
    ("inspector2b", "周建平", roles.INSPECTOR, SECOND),
    ("mediator2", "郭丽萍", roles.MEDIATOR, SECOND),
    ("arbitrator2", "贾文斌", roles.ARBITRATOR, SECOND),
    ("supervisor", "陈国强", roles.SUPERVISOR, None),
    ("township1", "杨春梅", roles.TOWNSHIP_REVIEWER, FIRST),
    # Enters the demo subsidy applications: whoever enters one decides none of its steps.
    ("township1b", "柴俊杰", roles.TOWNSHIP_REVIEWER, FIRST),
    ("county", "吕海涛", roles.COUNTY_REVIEWER, None),
    ("finance", "柴红霞", roles.FINANCE, None),
    ("screen", "指挥大屏", roles.SCREEN, None),
    ("admin", "系统管理员", roles.ADMINISTRATOR, None),
]

# Who acts for each role in a township; elsewhere the county-level supervisor acts.
LOCAL_STAFF = {
    FIRST: {
        "inspector": "inspector1",
        "inspector_b": "inspector1b",
        "mediator": "mediator1",
        "arbitrator": "arbitrator1",
    },
    SECOND: {
        "inspector": "inspector2",
        "inspector_b": "inspector2b",
        "mediator": "mediator2",
        "arbitrator": "arbitrator2",
    },
}

# --- employers (fictional) ---------------------------------------------------------------


def run(demo: Demo) -> None:
    reference.load(apps)
    with transaction.atomic():
        demo.users = seed_users(demo.password)


def seed_users(password: str) -> dict:
    User = get_user_model()
    townships = {t.code: t for t in Township.objects.all()}
    groups = {g.name: g for g in Group.objects.all()}
    # Hashed once for all of them: a hash takes ~0.3 s by design (PBKDF2).
    hashed = make_password(password)
    users = {}
    for username, display, group_name, township_code in USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = display, ""
        user.is_active = True
        user.is_staff = user.is_superuser = username == "admin"
        user.password = hashed
        user.save()
        user.groups.set([groups[group_name]])
        profile, _ = StaffProfile.objects.get_or_create(user=user)
        profile.county_level = township_code is None
        profile.save()
        profile.townships.set([townships[township_code]] if township_code else [])
        users[username] = user
    return users
