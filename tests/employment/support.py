"""Builders for the employment tests: villages, stewards, plants and ledger entries."""

import datetime as dt

from django.contrib.auth.models import Group, User

from core.models import StaffProfile, Township, Village
from employment import services
from employment.models import Category, JobPosting, Target, TownshipShare
from tests.factories import VALID_IDS

# More valid ID numbers (GB 11643 check digits), beyond tests.factories.VALID_IDS.
MORE_IDS = [
    "110105198001010016",
    "110105198001010024",
    "110105198001010032",
    "110105198001010040",
    "110105198001010059",
    "110105198001010067",
    "110105198001010075",
    "110105198001010083",
    "110105198001010091",
    "110105198001010104",
    "110105198001010112",
]
IDS = VALID_IDS + MORE_IDS


def village(name="东村", township="xincheng", code=None):
    township = Township.objects.get(code=township)
    return Village.objects.create(
        township=township, name=name, code=code or f"{township.code}-{name}"
    )


def user(username, role, *, townships=(), villages=(), county_level=False):
    account = User.objects.create_user(username=username, password="pw-for-tests-1")
    account.groups.add(Group.objects.get(name=role))
    profile = StaffProfile.objects.create(user=account, county_level=county_level)
    profile.townships.set(Township.objects.filter(code__in=townships))
    for v in villages:
        v.stewards.add(account)
    return account


def county(username="county-hr"):
    return user(username, "county_reviewer", county_level=True)


def plant(actor, *, name="襄汾县示例焦化有限公司", uscc="91141023MA0L2X5D3C", township="xincheng"):
    return services.plant_register(
        actor=actor,
        name=name,
        uscc=uscc,
        township=Township.objects.get(code=township),
        closed_on=dt.date(2024, 1, 15),
        laid_off=10,
    )


def entry(actor, index, village, *, category=Category.LAID_OFF, plant=None, entered_on=None, **kw):
    return services.ledger_entry_create(
        actor=actor,
        name=f"工人{index}",
        id_number=IDS[index],
        phone=f"1390013{index:04d}",
        category=category,
        village=village,
        plant=plant,
        entered_on=entered_on,
        **kw,
    )


def posting(employer, title="焊工", on=None):
    return JobPosting.objects.create(
        employer=employer,
        title=title,
        pay="4000-5000元/月",
        place="襄汾县新城镇",
        posted_on=on or dt.date.today(),
        prefers_closed_plant=True,
    )


def target(year, shares=()):
    t = Target.objects.create(year=year, reemployment_rate=90, urban_new=5600, rural_transfer=6000)
    for code, urban, rural in shares:
        TownshipShare.objects.create(
            target=t,
            township=Township.objects.get(code=code),
            urban_new=urban,
            rural_transfer=rural,
        )
    return t
