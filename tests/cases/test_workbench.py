"""The staff workbench: the queue, its filters and badges, the case page, the forms."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import errors, services
from cases.models import Case, CaseEvent
from tests.cases.complaint_support import png_bytes
from tests.factories import VALID_IDS, claimant, file_case, staff

pytestmark = pytest.mark.django_db


def accept(case, people):
    return services.case_transition(
        case_number=case.number,
        name="accept",
        actor=people["inspector"],
        data={"inspectors": ["insp_a", "insp_b"]},
    )


def set_deadline(case, days):
    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate() + dt.timedelta(days=days))


def queue_numbers(client, query=""):
    response = client.get(f"/workbench/{query}")
    assert response.status_code == 200
    return [row["case"].number for row in response.context["rows"]]


# --- access ---------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/workbench/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workbench/"


def test_it_goes_to_the_workbench_after_signing_in(client, people):
    response = client.post("/accounts/login/", {"username": "insp_a", "password": "pw-for-tests-1"})

    assert response.status_code == 302 and response["Location"] == "/workbench/"


def test_it_refuses_staff_without_a_case_role(client):
    client.force_login(staff("reviewer", "township_reviewer"))

    assert client.get("/workbench/").status_code == 403


# --- the queue --------------------------------------------------------------------------------


def test_it_lists_own_cases_first_then_the_township_and_nothing_else(client, people):
    township_case = file_case(employer="甲公司")
    own_case = file_case(employer="乙公司")
    accept(own_case, people)
    file_case(employer="丙公司", township="zhaokang")
    client.force_login(people["inspector"])

    assert queue_numbers(client) == [own_case.number, township_case.number]


def test_it_filters_by_state_kind_township_risk_and_overdue(client, people):
    submitted = file_case(employer="甲公司")
    dispute = file_case(employer="乙公司", kind="labor_dispute", claimants=[claimant(1)])
    far = file_case(employer="丙公司", township="zhaokang", claimants=[claimant(2)])
    Case.objects.filter(pk=far.pk).update(risk_level="red")
    set_deadline(submitted, -2)
    client.force_login(people["supervisor"])

    assert queue_numbers(client, "?state=submitted&kind=labor_dispute") == [dispute.number]
    assert queue_numbers(client, "?township=zhaokang") == [far.number]
    assert queue_numbers(client, "?risk_level=red") == [far.number]
    assert queue_numbers(client, "?overdue=1") == [submitted.number]
    assert queue_numbers(client, "?q=乙公司") == [dispute.number]


def test_it_sorts_by_deadline_both_ways(client, people):
    cases = [file_case(employer=f"公司{i}", claimants=[claimant(i)]) for i in range(3)]
    for case, days in zip(cases, (5, -1, 2), strict=True):
        set_deadline(case, days)
    client.force_login(people["inspector"])

    soonest_first = queue_numbers(client, "?sort=deadline")
    latest_first = queue_numbers(client, "?sort=-deadline")

    assert soonest_first == [cases[1].number, cases[2].number, cases[0].number]
    assert latest_first == list(reversed(soonest_first))


def test_it_paginates_and_keeps_the_filters_in_the_page_links(client, people):
    for i in range(27):
        file_case(employer=f"公司{i}", claimants=[claimant(i % len(VALID_IDS))])
    client.force_login(people["inspector"])

    first = client.get("/workbench/?kind=wage_arrears")
    second = client.get("/workbench/?kind=wage_arrears&page=2")

    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 2
    assert "kind=wage_arrears&amp;page=2" in first.content.decode()


@pytest.mark.parametrize(
    "days, css, label",
    [
        (-3, "overdue", "已超期3天"),
        (1, "due-1", "剩1天"),
        (3, "due-3", "剩3天"),
        (9, "on-time", "按期"),
    ],
)
def test_it_shows_deadline_badges(client, people, days, css, label):
    case = file_case()
    set_deadline(case, days)
    client.force_login(people["inspector"])

    body = client.get("/workbench/").content.decode()

    assert f'<span class="badge {css}">{label}' in body


def test_it_shows_risk_badges(client, people):
    case = file_case()
    Case.objects.filter(pk=case.pk).update(risk_level="orange", risk_score=55)
    client.force_login(people["inspector"])

    assert '<span class="badge orange">橙色 55</span>' in client.get("/workbench/").content.decode()


def test_it_shows_a_supervisor_the_extensions_waiting_for_approval(client, people):
    near = file_case(employer="甲公司")
    accept(near, people)
    set_deadline(near, 4)
    later = file_case(employer="乙公司", claimants=[claimant(1)])
    accept(later, people)
    set_deadline(later, 40)
    client.force_login(people["supervisor"])

    extensions = client.get("/workbench/").context["extensions"]

    assert [(e["case"].number, e["transition"]) for e in extensions] == [
        (near.number, "extend_investigation")
    ]
    client.force_login(people["inspector"])
    assert client.get("/workbench/").context["extensions"] == []


# --- the case page ------------------------------------------------------------------------------


def test_it_shows_parties_with_masked_id_numbers_claims_and_the_timeline(client, people):
    case = file_case(claimants=[claimant(0, amount="5000"), claimant(1, amount="7000")])
    accept(case, people)
    client.force_login(people["inspector"])

    body = client.get(f"/workbench/cases/{case.number}/").content.decode()

    assert VALID_IDS[0] not in body and VALID_IDS[1] not in body
    assert "110***********002X" in body
    assert "5000.00" in body and "12000.00" in body
    assert "登记投诉" in body and "受理/立案" in body and "已提交 → 调查中" in body


def test_it_offers_only_the_transitions_the_user_may_run_now(client, people):
    case = file_case()
    client.force_login(people["inspector"])

    forms = client.get(f"/workbench/cases/{case.number}/").context["transition_forms"]

    names = {form.name for form in forms}
    assert {"accept", "reject", "request_supplement", "withdraw"} <= names
    assert "order_payment" not in names and "extend_investigation" not in names
    client.force_login(people["arbitrator"])
    assert client.get(f"/workbench/cases/{case.number}/").context["transition_forms"] == []


def test_it_builds_each_form_from_the_transitions_input_serializer(client, people):
    case = file_case()
    client.force_login(people["inspector"])

    forms = {
        f.name: f
        for f in client.get(f"/workbench/cases/{case.number}/").context["transition_forms"]
    }

    inspectors = next(f for f in forms["accept"].fields if f.name == "inspectors")
    assert inspectors.widget == "multi"
    assert [value for value, _label in inspectors.choices] == ["insp_a", "insp_b"]
    reason = next(f for f in forms["reject"].fields if f.name == "reason_code")
    assert (
        reason.widget == "select"
        and ("out_of_time", "超过法定时效（监察2年/仲裁1年）") in reason.choices
    )


def test_it_hides_cases_of_other_townships(client, people):
    case = file_case()
    client.force_login(people["other_township"])

    assert client.get(f"/workbench/cases/{case.number}/").status_code == 404


# --- running transitions ---------------------------------------------------------------------------


def run(client, case, name, data, version=None):
    version = case.version if version is None else version
    return client.post(
        f"/workbench/cases/{case.number}/run/{name}/", {"version": str(version), **data}
    )


def test_it_runs_a_transition_and_says_so(client, people):
    case = file_case()
    client.force_login(people["inspector"])

    response = run(client, case, "accept", {"inspectors": ["insp_a", "insp_b"], "note": "符合"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "investigating"
    event = CaseEvent.objects.get(case=case, transition="accept")
    assert (event.actor, event.note) == (people["inspector"], "符合")
    assert "已完成：受理/立案" in client.get(response["Location"]).content.decode()


def test_it_shows_field_errors_in_the_open_form_and_keeps_the_input(client, people):
    case = file_case()
    client.force_login(people["inspector"])

    response = run(client, case, "accept", {"inspectors": ["insp_a"], "note": "只有一人"})

    assert response.status_code == 400
    form = next(f for f in response.context["transition_forms"] if f.name == "accept")
    assert form.open
    inspectors = next(f for f in form.fields if f.name == "inspectors")
    assert inspectors.errors == ["至少需要2名监察员。"] and inspectors.value == ["insp_a"]
    assert "只有一人" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "submitted"


def test_it_says_plainly_when_someone_changed_the_case_meanwhile(client, people):
    case = file_case()
    stale_version = case.version
    accept(case, people)
    client.force_login(people["inspector"])

    response = run(client, case, "request_supplement", {"note": "补材料"}, version=stale_version)

    assert response.status_code == 302
    assert errors.CHANGED_MEANWHILE in client.get(response["Location"]).content.decode()


def test_it_says_plainly_when_the_state_does_not_allow_it(client, people):
    case = accept(file_case(), people)
    client.force_login(people["inspector"])

    response = run(client, case, "accept", {"inspectors": ["insp_a", "insp_b"]})

    page = client.get(response["Location"]).content.decode()
    assert "案件当前状态为“调查中”，不能执行“受理/立案”。" in page


def test_it_refuses_a_transition_on_another_townships_case_as_unknown(client, people):
    case = file_case()
    client.force_login(people["other_township"])

    response = run(client, case, "accept", {"inspectors": ["insp_z", "insp_a"]})

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.state == "submitted"
    assert not CaseEvent.objects.filter(case=case, transition="accept").exists()


def test_it_refuses_a_transition_the_role_may_not_run(client, people):
    case = file_case()
    client.force_login(people["mediator"])

    response = run(client, case, "accept", {"inspectors": ["insp_a", "insp_b"]})

    assert (
        errors.ROLE_FORBIDDEN.format(label="受理/立案")
        in client.get(response["Location"]).content.decode()
    )
    case.refresh_from_db()
    assert case.state == "submitted"


def test_it_records_payments_from_the_row_editor(client, people):
    case = accept(
        file_case(claimants=[claimant(0, amount="3000"), claimant(1, amount="2000")]), people
    )
    services.case_transition(
        case_number=case.number,
        name="hear_employer",
        actor=people["inspector"],
        data={"note": "听取"},
    )
    services.case_transition(
        case_number=case.number,
        name="order_payment",
        actor=people["inspector"],
        data={"pay_by": timezone.localdate() + dt.timedelta(days=10)},
    )
    case.refresh_from_db()
    first, second = case.claims.order_by("id")
    client.force_login(people["inspector"])

    response = run(
        client,
        case,
        "record_payment",
        {
            "payments-0-claim": str(first.id),
            "payments-0-amount": "3000",
            "payments-1-claim": str(second.id),
            "payments-1-amount": "2000",
            "payments-2-claim": str(first.id),  # the spare row, left empty
            "payments-2-amount": "",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "paid"


def test_it_shows_row_errors_next_to_the_row(client, people):
    case = accept(file_case(claimants=[claimant(0, amount="3000")]), people)
    client.force_login(people["inspector"])
    claim = case.claims.get()

    response = run(
        client,
        case,
        "record_payment",
        {"payments-0-claim": str(claim.id), "payments-0-amount": "9000"},
    )

    assert response.status_code == 400
    assert "超过尚欠金额3000.00元" in response.content.decode()


# --- evidence ----------------------------------------------------------------------------------


@pytest.fixture
def evidence(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = file_case()
    upload = SimpleUploadedFile("工资条.png", png_bytes(), content_type="image/png")
    return services.evidence_add(case=case, upload=upload)


def test_it_lets_authorised_staff_download_evidence(client, people, evidence):
    client.force_login(people["inspector"])

    response = client.get(f"/workbench/evidence/{evidence.id}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert "attachment" in response["Content-Disposition"]


def test_it_hides_evidence_from_other_townships_and_the_public(client, people, evidence):
    client.force_login(people["other_township"])
    assert client.get(f"/workbench/evidence/{evidence.id}/").status_code == 404
    client.logout()
    assert client.get(f"/workbench/evidence/{evidence.id}/").status_code == 302
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
