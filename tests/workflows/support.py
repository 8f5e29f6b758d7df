"""Builders for the subsidy tests: valid identifiers, staff, application payloads."""

import datetime as dt
from decimal import Decimal

from rest_framework.test import APIClient
from stdnum.cn import ric, uscc

from core.models import Employer, Township


def id_number(index: int, birth: str = "19900101") -> str:
    base = f"142623{birth}{index % 1000:03d}0"
    return base[:-1] + ric.calc_check_digit(base)


def uscc_for(index: int) -> str:
    base = f"91141023{index:09d}0"
    return base[:-1] + uscc.calc_check_digit(base)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def person(index=1, **overrides) -> dict:
    row = {
        "name": f"对象{index}",
        "id_number": id_number(index),
        "hire_date": "2025-01-01",
        "contract_months": 12,
        "hard_to_employ": True,
        "graduation_year": None,
        "insurance_months": 12,
        "insurance_paid": "9600.00",
    }
    row.update(overrides)
    return row


def payload(
    policy="post",
    *,
    beneficiaries=None,
    start="2025-01-01",
    end="2025-12-31",
    kind="enterprise",
    size="small",
    uscc_index=1,
    township="xincheng",
    requested=None,
    name="襄汾县测试商贸有限公司",
    applicant_id=None,
) -> dict:
    applicant = {"kind": kind, "name": name, "township": township}
    if kind in ("enterprise", "agency"):
        applicant["uscc"] = uscc_for(uscc_index)
        applicant["size_class"] = size
    else:
        applicant["id_number"] = applicant_id or id_number(900)
    body = {
        "policy": policy,
        "applicant": applicant,
        "period_start": start,
        "period_end": end,
        "beneficiaries": [person(1)] if beneficiaries is None else beneficiaries,
    }
    if requested is not None:
        body["requested_amount"] = str(requested)
    return body


def submit(client, body, status=201) -> dict:
    response = client.post("/api/v1/subsidies/applications/", body, format="json")
    assert response.status_code == status, response.content.decode()
    return response.json()


def employer(index=1, size="small", blacklisted_until: dt.date | None = None, name=None):
    return Employer.objects.create(
        name=name or f"登记单位{index}",
        uscc=uscc_for(index),
        township=Township.objects.get(code="xincheng"),
        size_class=size,
        blacklisted_until=blacklisted_until,
    )


def amount(value) -> Decimal:
    return Decimal(str(value))


def rule(result: dict, name: str) -> dict:
    matches = [r for r in result["eligibility"] if r["rule"] == name]
    assert matches, f"no rule {name} in {result['eligibility']}"
    return matches[0]


def person_rule(beneficiary: dict, name: str) -> dict:
    matches = [r for r in beneficiary["rules"] if r["rule"] == name]
    assert matches, f"no rule {name} in {beneficiary['rules']}"
    return matches[0]
