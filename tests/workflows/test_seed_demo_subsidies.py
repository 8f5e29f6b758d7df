"""seed_demo_subsidies leaves one application at each step and is safe to run twice."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from core import query_codes
from tests.factories import staff
from tests.workflows.support import uscc_for
from workflows.models import SubsidyApplication

pytestmark = pytest.mark.django_db

EMPLOYERS = [
    "襄汾县鑫源商贸有限公司",
    "襄汾县丰禾面粉有限公司",
    "襄汾县悦来大酒店有限公司",
    "襄汾县顺通物流有限公司",
]


def test_it_seeds_an_application_at_every_step_once():
    from core.models import Employer, Township

    xincheng = Township.objects.get(code="xincheng")
    for index, name in enumerate(EMPLOYERS):
        Employer.objects.create(
            name=name, uscc=uscc_for(200 + index), township=xincheng, size_class="small"
        )
    Employer.objects.create(
        name="临汾市聚鑫劳务派遣有限公司",
        uscc=uscc_for(300),
        township=xincheng,
        size_class="micro",
        blacklisted_until=dt.date(2099, 1, 1),
    )
    staff("township1", "township_reviewer")
    staff("township1b", "township_reviewer")
    staff("county", "county_reviewer", townships=(), county_level=True)
    staff("supervisor", "supervisor", townships=(), county_level=True)
    staff("finance", "finance", townships=(), county_level=True)

    out = io.StringIO()
    call_command("seed_demo_subsidies", stdout=out)
    call_command("seed_demo_subsidies")

    states = sorted(SubsidyApplication.objects.values_list("state", flat=True))
    assert states == sorted(
        [
            "township_review",
            "county_review",
            "public_notice",
            "returned",
            "rejected",
            "supervisor_approval",
            "awaiting_payment",
        ]
    )
    assert all(a.is_demo for a in SubsidyApplication.objects.all())
    # each with the number and code to try the applicant's status page (printed as they
    # are issued: only their hashes are stored)
    for application in SubsidyApplication.objects.all():
        printed = re.search(rf"{application.number} 查询码 ([2-9A-HJ-NP-Z]{{8}})", out.getvalue())
        assert query_codes.query_code_matches(application.query_code_hash, printed.group(1))
