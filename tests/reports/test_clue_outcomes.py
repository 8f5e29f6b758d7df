"""Outcomes back to the national wage-arrears clue platform, keyed by its clue number."""

import datetime as dt
import io

from openpyxl import load_workbook

from cases import services
from cases.models import Case, SourceReference
from tests.cases.test_ledger import row, upload


def outcome_rows(client):
    response = client.get("/reports/clues.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["线索办理结果"]
    return list(sheet.iter_rows(values_only=True))


def test_it_keeps_the_clue_number_and_the_platforms_deadline(client, people):
    client.force_login(people["inspector"])

    upload(client, [row("XQ7", 0, platform_due="2026-02-28")])

    reference = SourceReference.objects.get(ref="XQ7")
    assert reference.platform_due == dt.date(2026, 2, 28)
    assert reference.case.channel == "platform"


def test_it_refuses_a_deadline_that_is_not_a_date(client, people):
    client.force_login(people["inspector"])

    response = upload(client, [row("XQ8", 0, platform_due="下月底")])

    assert response.status_code == 400
    assert not Case.objects.exists()
    assert any(e.column == "平台办理期限" for e in response.context["report"].errors)


def test_it_exports_each_clues_outcome(client, people):
    client.force_login(people["inspector"])
    upload(client, [row("XQ1", 0), row("XQ2", 1, employer_name="另一家建筑公司")])
    rejected = SourceReference.objects.get(ref="XQ2").case
    services.case_transition(
        case_number=rejected.number,
        name="reject",
        actor=people["inspector"],
        data={"reason_code": "out_of_time"},
        today=dt.date(2026, 1, 7),
    )
    client.force_login(people["supervisor"])

    header, *lines = outcome_rows(client)

    assert header[:3] == ("线索编号", "案件编号", "是否受理")
    by_ref = {line[0]: line for line in lines}
    assert by_ref["XQ1"][2] is None  # not decided yet: blank, not "否"
    assert by_ref["XQ2"][2] == "否"
    assert by_ref["XQ2"][3].startswith("超过法定时效")
    assert by_ref["XQ2"][4] == "不予受理"


def test_it_is_for_the_county(client, people):
    client.force_login(people["station_z"])

    assert client.get("/reports/clues.xlsx").status_code == 403
