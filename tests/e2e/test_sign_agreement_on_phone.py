"""A worker gets the mediation agreement's link, confirms, reads and signs it with a
finger on a 360x740 phone screen."""

import datetime as dt
import importlib

import pytest
from django.utils import timezone

from cases import services
from cases.models import CaseEvent
from notifications.models import Notice
from tests.notifications.notice_support import arbitration_staff, dispute_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notice_templates(reference_data):
    """The shipped texts (a transactional test before may have flushed them)."""
    from django.apps import apps

    importlib.import_module("notifications.migrations.0015_notice_templates").seed(apps, None)


def test_it_signs_the_agreement_on_a_phone(live_server, new_page, notice_templates, screenshot):
    people = arbitration_staff()
    case = dispute_case()
    for name, role, data in [
        ("accept", "arbitrator", {}),
        ("start_mediation", "mediator", {}),
        (
            "settle",
            "mediator",
            {
                "instalments": [
                    {"due_date": timezone.localdate() + dt.timedelta(days=10), "amount": "6000"}
                ],
                "note": "被申请人分期支付",
            },
        ),
    ]:
        services.case_transition(case_number=case.number, name=name, actor=people[role], data=data)
    notice = Notice.objects.get(case=case, event="mediation_agreement", recipient="worker")
    path = "/s/" + notice.text.split("/s/")[1].split("/")[0] + "/"
    digits = case.claims.first().person.id_number[-4:]

    page = new_page(360, 740)
    page.goto(live_server.url + path)
    page.fill("#digits", digits)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "被申请人分期支付" in page.inner_text("[data-agreement-text]")
    pad = page.locator("[data-signature-pad]")
    pad.scroll_into_view_if_needed()  # below the agreement's text, as on a real phone
    box = pad.bounding_box()
    assert box["width"] <= 360
    page.mouse.move(box["x"] + 20, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 40 + (step % 3) * 25)
    page.mouse.up()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click("[data-signature-form] button[type=submit]")

    assert "您已签署" in page.inner_text("[data-signing]")
    signed = CaseEvent.objects.get(case=case, transition="agreement_signed")
    assert signed.data["signature_png"] and len(signed.data["text_sha256"]) == 64
    screenshot(page, "agreement-signed-360x740")
