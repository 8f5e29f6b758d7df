"""Every change to a case, from any path, appends an event to its history: edits in
the admin too (the case page and its claimant rows, and the claim admin), linked into
the hash chain like every other event."""

import pytest
from django.contrib.auth.models import User
from django.forms import MultiWidget

from cases import audit
from cases.models import CaseEvent, Claim
from core.models import Township
from tests.factories import claimant, file_case


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root_admin", password="pw-for-tests-1"))
    return client


def change_form_data(response) -> dict:
    """What the admin's change form would post back unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data.update(_field_data(form.add_prefix(name), value, field))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name, field in sub.fields.items():
                value = sub.initial.get(name, field.initial)
                data.update(_field_data(sub.add_prefix(name), value, field))
    return data


def _field_data(key, value, field):
    if isinstance(field.widget, MultiWidget):  # date and time in two inputs
        return {f"{key}_{i}": part for i, part in enumerate(field.widget.decompress(value))}
    if value is None or value is False:
        return {}
    if value is True:
        return {key: "on"}
    if isinstance(value, list):
        return {key: [getattr(v, "pk", v) for v in value]}
    return {key: getattr(value, "pk", value)}


def test_an_admin_edit_of_a_case_appends_an_event(admin_client):
    case = file_case()
    url = f"/admin/cases/case/{case.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["township"] = Township.objects.get(code="zhaokang").pk
    data["description"] = "更正：拖欠工资四个月"

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = CaseEvent.objects.filter(case=case).last()
    assert event.transition == "admin_edit"
    assert event.actor.username == "root_admin"
    assert event.data["fields"]["township"] == ["新城镇", "赵康镇"]
    assert event.data["fields"]["description"] == ["拖欠工资三个月", "更正：拖欠工资四个月"]
    assert audit.chain_verify() == []


def test_an_admin_edit_of_a_claimant_row_appends_an_event(admin_client):
    case = file_case()
    url = f"/admin/cases/case/{case.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["claims-0-amount_claimed"] = "9000.00"

    admin_client.post(url, data)

    event = CaseEvent.objects.filter(case=case).last()
    assert event.transition == "admin_edit"
    [line] = event.data["claims"]
    assert (line["action"], line["amount_claimed"]) == ("changed", "9000.00")


def test_saving_an_unchanged_case_records_nothing(admin_client):
    case = file_case()
    url = f"/admin/cases/case/{case.pk}/change/"

    admin_client.post(url, change_form_data(admin_client.get(url)))

    edits = CaseEvent.objects.filter(case=case, transition="admin_edit")
    assert not edits.exists(), [e.data for e in edits]


def test_the_claim_admin_records_on_the_case(admin_client):
    case = file_case(claimants=[claimant(0), claimant(1)])
    claim = case.claims.last()

    admin_client.post(f"/admin/cases/claim/{claim.pk}/delete/", {"post": "yes"})

    assert not Claim.objects.filter(pk=claim.pk).exists()
    event = CaseEvent.objects.filter(case=case).last()
    assert event.transition == "admin_edit"
    assert event.data["claims"][0]["action"] == "deleted"
    assert audit.chain_verify() == []
