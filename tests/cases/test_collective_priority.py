"""Collective cases (10+ workers) have priority (LDMAL art.7, the arbitration rules):
first in the workbench queue whatever the order chosen, and marked 集体."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db


def numbers(client, query=""):
    response = client.get(f"/workbench/{query}")
    assert response.status_code == 200
    return [row["case"].number for row in response.context["rows"]]


def test_it_lists_collective_cases_first_in_every_order(client, people):
    own = file_case(employer="甲公司", claimants=[claimant(0)])
    services.case_transition(
        case_number=own.number,
        name="accept",
        actor=people["inspector"],
        data={"inspectors": ["insp_a", "insp_b"]},
    )
    crowd = file_case(employer="乙公司", claimants=[claimant(1)])
    other = file_case(employer="丙公司", claimants=[claimant(2)])
    soon = timezone.localdate() + dt.timedelta(days=1)
    Case.objects.filter(pk=crowd.pk).update(
        is_collective=True, deadline=soon + dt.timedelta(days=30)
    )
    Case.objects.filter(pk=other.pk).update(deadline=soon)
    client.force_login(people["inspector"])

    for sort in ("deadline", "-deadline", "-received_at", "-risk_score"):
        assert numbers(client, f"?sort={sort}")[0] == crowd.number
    assert numbers(client)[:2] == [crowd.number, own.number]  # then the user's own


def test_it_marks_collective_cases_in_the_queue(client, people):
    crowd = file_case(claimants=[claimant(1)])
    Case.objects.filter(pk=crowd.pk).update(is_collective=True)
    client.force_login(people["inspector"])

    html = client.get("/workbench/").content.decode()

    assert 'class="badge collective"' in html and "集体" in html
