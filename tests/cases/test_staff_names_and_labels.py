"""Staff are shown by name and risk levels by label, in the workbench and the ledger."""

import io

import pytest
from openpyxl import load_workbook

from cases.models import Case
from tests.cases.test_workbench import accept
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db


def test_the_case_history_names_the_staff_member_not_the_username(client, people):
    people["inspector"].first_name = "王建军"
    people["inspector"].save()
    case = file_case(claimants=[claimant(0)])
    accept(case, people)
    client.force_login(people["inspector"])

    body = client.get(f"/workbench/cases/{case.number}/").content.decode()

    timeline = body[body.index('class="timeline"') :]
    assert "王建军" in timeline and "· insp_a<" not in timeline.replace("\n", "")


def test_the_ledger_shows_risk_levels_by_label(client, people):
    case = file_case(claimants=[claimant(0)])
    Case.objects.filter(pk=case.pk).update(risk_level="orange", risk_score=70)
    client.force_login(people["inspector"])

    content = b"".join(client.get("/workbench/ledger.xlsx").streaming_content)

    row = [c.value for c in load_workbook(io.BytesIO(content))["案件台账"][2]]
    assert row[16] == "橙色" and "orange" not in row
