"""Statutory documents: editable Word files with the case's facts, offered when they fit."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from cases import documents, services
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db


def run(case, name, actor, **data):
    return services.case_transition(case_number=case.number, name=name, actor=actor, data=data)


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def download(client, case, code):
    response = client.get(f"/workbench/cases/{case.number}/documents/{code}.docx")
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return text_of(response.content)


@pytest.fixture
def wage_case(people):
    case = file_case(
        employer="山西文书测试建筑有限公司",
        claimants=[claimant(0, amount="4500.00"), claimant(1, amount="5500.00")],
    )
    return run(case, "accept", people["inspector"], inspectors=["insp_a", "insp_b"])


def test_it_offers_no_document_for_a_case_just_filed(client, people):
    case = file_case()
    client.force_login(people["inspector"])

    assert documents.available(case) == []
    assert (
        client.get(f"/workbench/cases/{case.number}/documents/acceptance.docx").status_code == 404
    )


def test_it_fills_the_acceptance_notice_from_the_case(client, people, wage_case):
    client.force_login(people["inspector"])

    text = download(client, wage_case, "acceptance")

    assert "受理通知书" in text and wage_case.number in text
    assert "山西文书测试建筑有限公司" in text and "工人0" in text and "工人1" in text
    assert "4,500.00" in text and "insp_a" in text
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text
    assert "{{" not in text and "{%" not in text


def test_it_fills_the_rejection_notice_with_the_reason(client, people):
    case = file_case(kind="labor_dispute")
    case = run(
        case, "reject", people["arbitrator"], reason_code="out_of_time", note="已超过一年时效"
    )
    client.force_login(people["arbitrator"])

    text = download(client, case, "rejection")

    assert "不予受理通知书" in text and "超过法定时效" in text and "已超过一年时效" in text
    assert [d.code for d in documents.available(case)] == ["rejection"]


def test_it_fills_the_order_to_correct_with_the_amount_and_date(client, people, wage_case):
    pay_by = timezone.localdate() + dt.timedelta(days=15)
    run(wage_case, "hear_employer", people["inspector"], note="单位称资金紧张")
    run(wage_case, "order_payment", people["inspector"], pay_by=pay_by.isoformat())
    client.force_login(people["inspector"])

    text = download(client, wage_case, "order")

    assert "责令改正指令书" in text and "10,000.00" in text
    assert f"{pay_by.year}年{pay_by.month}月{pay_by.day}日" in text
    assert "110***********002X" in text and "11010519491231002X" not in text


def test_it_fills_the_mediation_agreement_with_the_instalments(client, people):
    case = file_case(kind="labor_dispute")
    run(case, "accept", people["arbitrator"])
    run(case, "start_mediation", people["mediator"])
    due = timezone.localdate() + dt.timedelta(days=30)
    run(
        case,
        "settle",
        people["mediator"],
        instalments=[{"due_date": due.isoformat(), "amount": "6000"}],
    )
    client.force_login(people["mediator"])

    text = download(client, case, "mediation")

    assert "调解协议书" in text and "6,000.00" in text and "med" in text
    assert f"{due.year}年{due.month}月{due.day}日" in text


def test_it_fills_the_award_with_each_item_and_its_finality(client, people):
    case = file_case(kind="labor_dispute", claimants=[claimant(0, amount="8000.00")])
    run(case, "accept", people["arbitrator"], arbitrators=["arb"])
    run(case, "refer_to_hearing", people["arbitrator"])
    claim = case.claims.get()
    run(
        case,
        "award",
        people["arbitrator"],
        items=[
            {"claim": claim.id, "item": "wages", "amount": "8000.00"},
            {"claim": claim.id, "item": "other", "amount": "300.00"},
        ],
    )
    client.force_login(people["arbitrator"])

    text = download(client, case, "award")

    assert "裁决书" in text and "劳动报酬" in text and "8,000.00" in text
    assert "终局裁决" in text and "非终局裁决" in text and "8,300.00" in text


def test_it_regenerates_the_templates(tmp_path):
    call_command("document_templates", output=tmp_path)

    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(kind.filename for kind in documents.KINDS.values())
    assert "{{ case_number }}" in text_of((tmp_path / "award.docx").read_bytes())
