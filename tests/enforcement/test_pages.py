"""The staff pages: the case page offers the proposal when the criteria are met, the
list filters, the detail shows the history and the actions the user may take."""

import pytest

from tests.enforcement.support import AFTER, browser, listed, ordered_case, proposed

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_the_order(monkeypatch):
    from django.utils import timezone

    from enforcement import services

    monkeypatch.setattr(services, "_today", lambda: AFTER)
    monkeypatch.setattr(timezone, "localdate", lambda *a: AFTER)


def test_the_case_page_offers_the_proposal_to_its_inspector(people, after_the_order):
    case = ordered_case(people)
    page = browser(people["inspector"]).get(f"/workbench/cases/{case.number}/").content.decode()
    assert "提请列入失信名单" in page
    other = browser(people["supervisor"]).get(f"/workbench/cases/{case.number}/").content.decode()
    assert "符合列入" in other and "提请列入失信名单" not in other


def test_proposing_from_the_page(people, after_the_order):
    case = ordered_case(people)
    client = browser(people["inspector"])
    form = client.get(f"/enforcement/blacklist/propose/{case.number}/")
    assert form.status_code == 200 and "✔" in form.content.decode()
    response = client.post(
        f"/enforcement/blacklist/propose/{case.number}/", {"reasons": "逾期拒不支付"}
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "已提请，待审批" in detail and "提请列入" in detail


def test_deciding_from_the_page_needs_a_person(people):
    entry = proposed(people)
    client = browser(people["supervisor"])
    url = f"/enforcement/blacklist/{entry.pk}/decide/"
    refused = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "至少列明一名责任人" in refused
    done = client.post(
        url,
        {
            "decision": "approve",
            "person_name": ["李建国", ""],
            "person_role": ["legal_representative", "other"],
            "person_id_number": ["110105194912310150", ""],
        },
        follow=True,
    ).content.decode()
    assert "已批准列入名单" in done and "法定代表人 李建国" in done


def test_the_list_filters_and_other_roles_are_kept_out(people):
    entry = listed(people)
    client = browser(people["supervisor"])
    page = client.get("/enforcement/blacklist/?state=listed").content.decode()
    assert entry.employer.name in page
    assert (
        entry.employer.name
        not in client.get("/enforcement/blacklist/?state=expired").content.decode()
    )
    from tests.factories import staff

    finance = browser(staff("fin", "finance", townships=(), county_level=True))
    assert finance.get("/enforcement/blacklist/").status_code == 403
    assert client.get("/enforcement/blacklist/99999/").status_code == 404


def test_the_publication_pages(people):
    client = browser(people["inspector"])
    response = client.post("/enforcement/publications/", {"year": "2026", "quarter": "1"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "草稿，待审批" in detail and "本季度没有应当公布" in detail
    bad = client.post("/enforcement/publications/", {"year": "x", "quarter": "1"}, follow=True)
    assert "请选择年度和季度" in bad.content.decode()
