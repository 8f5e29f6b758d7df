"""The subsidy list for the supervisor and finance: search, filters, totals, Excel."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import staff
from tests.workflows.support import client_for, payload, person, submit
from workflows.models import SubsidyApplication


@pytest.fixture
def listed(people):
    """Four applications: two townships, two policies, different days, one paid."""
    people["clerk"].first_name = "柴俊杰"
    people["clerk"].save()
    clerk, other = client_for(people["clerk"]), client_for(people["other_township"])
    made = {
        "post": submit(clerk, payload(uscc_index=1, name="襄汾县甲商贸有限公司")),
        "absorption": submit(
            clerk,
            payload(
                "absorption",
                uscc_index=2,
                name="襄汾县乙面粉有限公司",
                beneficiaries=[person(2), person(3)],
            ),
        ),
        "paid": submit(
            clerk, payload(uscc_index=3, name="襄汾县丙物流有限公司", beneficiaries=[person(4)])
        ),
        "zhaokang": submit(
            other,
            payload(
                uscc_index=4,
                name="襄汾县丁建材有限公司",
                township="zhaokang",
                beneficiaries=[person(5)],
            ),
        ),
    }
    apps = {key: SubsidyApplication.objects.get(pk=body["id"]) for key, body in made.items()}
    old = timezone.make_aware(dt.datetime(2026, 3, 10, 9))
    SubsidyApplication.objects.filter(pk=apps["absorption"].pk).update(created_at=old)
    SubsidyApplication.objects.filter(pk=apps["paid"].pk).update(
        state="paid", paid_amount=Decimal("1000.00"), paid_on=dt.date(2026, 5, 1)
    )
    for app in apps.values():
        app.refresh_from_db()
    return apps


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def totals(response):
    return response.context["totals"]


def test_it_searches_by_applicant_and_number(people, listed):
    page = page_for(people["supervisor"])

    by_name = page.get("/subsidies/applications/", {"q": "乙面粉"})
    by_number = page.get("/subsidies/applications/", {"q": listed["zhaokang"].number[-4:]})

    assert [a.pk for a in by_name.context["applications"]] == [listed["absorption"].pk]
    assert listed["zhaokang"].pk in [a.pk for a in by_number.context["applications"]]
    assert listed["post"].number not in by_name.content.decode()


def test_it_filters_by_policy_state_township_and_date_and_totals_the_whole_set(people, listed):
    page = page_for(people["supervisor"])
    every = page.get("/subsidies/applications/")
    expected = sum((a.computed_amount for a in listed.values()), Decimal("0"))
    assert totals(every) == {"count": 4, "computed": expected, "paid": Decimal("1000.00")}

    post = page.get("/subsidies/applications/", {"policy": "post", "township": "xincheng"})
    assert {a.pk for a in post.context["applications"]} == {listed["post"].pk, listed["paid"].pk}
    assert (
        totals(post)["computed"] == listed["post"].computed_amount + listed["paid"].computed_amount
    )

    paid = page.get("/subsidies/applications/", {"state": "paid"})
    assert totals(paid) == {
        "count": 1,
        "computed": listed["paid"].computed_amount,
        "paid": Decimal("1000.00"),
    }
    assert 'data-total="paid">1000.00<' in paid.content.decode()

    march = page.get(
        "/subsidies/applications/", {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    )
    assert [a.pk for a in march.context["applications"]] == [listed["absorption"].pk]
    since = page.get("/subsidies/applications/", {"date_from": "2026-04-01"})
    assert listed["absorption"].pk not in [a.pk for a in since.context["applications"]]


def test_it_keeps_a_township_reviewer_s_list_and_filters_to_their_township(people, listed):
    page = page_for(people["township"])

    response = page.get("/subsidies/applications/", {"township": "zhaokang"})

    assert totals(response)["count"] == 3  # the other township is no choice: filter dropped
    assert listed["zhaokang"].number not in response.content.decode()
    assert "zhaokang" not in [c for c, _l in response.context["form"].fields["township"].choices]


def test_it_drops_a_bad_filter_with_a_message_instead_of_failing(people, listed):
    page = page_for(people["finance"])

    response = page.get(
        "/subsidies/applications/",
        {"state": "nonsense", "date_from": "2026-13-45", "policy": "post"},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="filter-errors"' in body and "该条件未使用" in body
    assert totals(response)["count"] == 3  # policy=post still applies


def test_finance_exports_the_filtered_list_with_labels_names_and_totals(people, listed):
    page = page_for(people["finance"])

    response = page.get("/subsidies/applications.xlsx", {"township": "xincheng"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content))["补贴申请"].values]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:5] == ["申请编号", "补贴政策", "申请人", "申请主体类型", "乡镇"]
    assert {r[0] for r in body} == {listed[k].number for k in ("post", "absorption", "paid")}
    cells = {str(c) for r in body for c in r if c is not None}
    for code in ("post", "absorption", "xincheng", "paid", "township_review", "enterprise"):
        assert code not in cells
    assert {"岗位补贴", "新城镇", "已拨付", "乡镇审核中", "企业", "柴俊杰"} <= cells
    assert "township1c" not in cells
    computed = sum(float(listed[k].computed_amount) for k in ("post", "absorption", "paid"))
    assert total[0] == "合计" and total[8] == computed and total[9] == 1000.0


def test_the_export_follows_the_search(people, listed):
    response = page_for(people["supervisor"]).get("/subsidies/applications.xlsx", {"q": "丁建材"})

    rows = list(load_workbook(io.BytesIO(response.content))["补贴申请"].values)
    assert [r[0] for r in rows[1:-1]] == [listed["zhaokang"].number]


def test_staff_without_a_subsidy_role_cannot_export(people, listed):
    response = page_for(staff("inspector_x", "inspector")).get("/subsidies/applications.xlsx")

    assert response.status_code == 403
