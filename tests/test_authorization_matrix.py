"""Authorization matrix: every API endpoint and staff page x every role x an object (a
case; a subsidy application, its approval task, its correction task; an alert) in the
user's own township and one in another township.

The expected answers are written out below by hand from docs/api.md and the role
definitions (not derived from the code under test). Reading the table: one column per
role, each cell "own/other" = the HTTP status for the object in the user's township /
in another township (list and page endpoints without an object give the same answer
twice). Besides the status codes, the case, application, task and alert lists must
never contain anything from another township for a township-scoped user, and a write
the table refuses must change nothing.
"""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services
from cases.models import Case
from notifications.models import Alert
from tests.cases.complaint_support import JPEG_BYTES
from tests.factories import claimant, file_case, staff
from tests.workflows.support import payload as subsidy_payload
from tests.workflows.support import person as subsidy_person
from tests.workflows.support import submit as subsidy_submit
from workflows.models import SubsidyApplication

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every role's user and the world's staff are made with create_user; the production
    hasher (PBKDF2, a million rounds) cost about half a second each. Nobody signs in with
    a password here (force_login / force_authenticate)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ROLES = [
    "inspector",
    "mediator",
    "arbitrator",
    "supervisor",
    "screen",
    "township_reviewer",
    "county_reviewer",
    "finance",
    "administrator",
    "anonymous",
]
# County-level accounts, as seed_demo makes them; everyone else works for xincheng.
COUNTY_LEVEL = {"supervisor", "screen", "county_reviewer", "finance"}

# fmt: off
#                          inspector mediator arbitrator supervisor screen  twp_rev county_rev finance  admin   anonymous
EXPECTED = {
    # --- API --------------------------------------------------------------------------
    "api_townships":        "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    "api_worker_status":    "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    "api_worker_bad_code":  "404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404",
    "api_case_list":        "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 401/401",
    "api_case_detail":      "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 401/401",
    "api_case_transitions": "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 401/401",
    "api_case_notices":     "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 401/401",
    "api_case_accept":      "200/404 403/404 403/404 200/200 403/403 403/403 403/403 403/403 403/404 401/401",
    "api_case_evidence":    "201/404 201/404 201/404 201/201 403/403 403/403 403/403 403/403 201/404 401/401",
    # a full ID number: only the case roles of the case's township; each showing recorded
    "api_claimant_reveal":  "200/404 200/404 200/404 403/403 403/403 403/403 403/403 403/403 403/404 401/401",
    "api_employers":        "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 401/401",
    "api_alerts":           "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 401/401",
    "api_summary":          "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 401/401",
    "api_policies":         "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    "api_applications":     "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 401/401",
    "api_tasks":            "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 401/401",
    "api_application":      "403/403 403/403 403/403 200/200 403/403 200/404 200/200 200/200 200/404 401/401",
    "api_applicant_status": "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    # the arrears blacklist and the publications: the case roles (tests/enforcement/)
    "api_blacklist":        "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 401/401",
    "api_publications":     "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 401/401",
    "api_applicant_bad_code": "404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404",
    # --- pages (anonymous: redirected to the login page) -------------------------------
    "page_workbench":       "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 302/302",
    "page_case":            "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 302/302",
    "page_claimant_reveal": "200/404 200/404 200/404 302/302 403/403 403/403 403/403 403/403 302/404 302/302",
    "page_document":        "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 302/302",
    "page_evidence":        "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 302/302",
    "page_ledger":          "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 302/302",
    "page_screen":          "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 302/302",
    "page_alerts":          "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 302/302",
    # statistics: the supervisor, county-level staff and the township stations
    "page_reports":         "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 302/302",
    "page_blacklist":       "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 302/302",
    "page_publications":    "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 302/302",
    "page_subsidies":       "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 302/302",
    "page_application":     "403/403 403/403 403/403 200/200 403/403 200/404 200/200 200/200 200/404 302/302",
    "page_task":            "403/403 403/403 403/403 200/200 403/403 200/404 200/200 200/200 200/404 302/302",
    # only the township's reviewers get the correction form (full ID numbers); others are
    # sent to the application's page
    "page_correction":      "403/403 403/403 403/403 302/302 403/403 200/404 302/302 302/302 302/404 302/302",
    # public: the applicant's number and query code (a wrong code: 404)
    "page_applicant_status": "302/302 302/302 302/302 302/302 302/302 302/302 302/302 302/302 302/302 302/302",
    "page_applicant_bad_code": "404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404 404/404",
    # --- writes, last (an allowed write changes the object for the rows after it) -------
    "api_task_decision":    "403/403 403/403 403/403 403/403 403/403 200/404 403/403 403/403 403/404 401/401",
    "api_correction":       "403/403 403/403 403/403 403/403 403/403 200/404 403/403 403/403 403/404 401/401",
    "page_task_decision":   "403/403 403/403 403/403 302/302 403/403 302/404 302/302 302/302 302/404 302/302",
    "api_alert_ack":        "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 401/401",
}
# fmt: on


def expected(endpoint, role):
    cell = EXPECTED[endpoint].split()[ROLES.index(role)]
    own, other = cell.split("/")
    return {"own": int(own), "other": int(other)}


def _api(client, method, url, **kwargs):
    return getattr(client, method)(url, **kwargs)


def _requests(world):
    """endpoint -> function(api_client, page_client, scope) -> response."""
    cases, codes = world["cases"], world["codes"]

    def number(scope):
        return cases[scope].number

    def first_claim(scope):
        return cases[scope].claims.order_by("id").first().pk

    def accept_data(scope):
        township = "x" if scope == "own" else "z"
        return {"inspectors": [f"wa_{township}1", f"wa_{township}2"]}

    def application(scope, which="review"):
        return world["applications"][scope][which]

    def task(scope, which="review"):
        return world["tasks"][scope][which]

    def applicant_status(client, scope, code=None):
        app = application(scope)
        return client.get(
            f"/api/v1/subsidies/status/{app.number}/", {"query_code": code or app.query_code}
        )

    def applicant_lookup(client, scope, code=None):
        app = application(scope)
        return client.post(
            "/subsidies/status/", {"number": app.number, "query_code": code or app.query_code}
        )

    def correction(scope):
        app = application(scope, "returned")
        index = 20 if scope == "own" else 30  # nobody else's beneficiary
        body = subsidy_payload(
            township=app.township.code, uscc_index=index, beneficiaries=[subsidy_person(index)]
        )
        return {**body, "note": "已补正"}

    return {
        "api_townships": lambda a, p, s: a.get("/api/v1/townships/"),
        "api_worker_status": lambda a, p, s: a.get(
            f"/api/v1/complaints/{number(s)}/", {"query_code": codes[s]}
        ),
        "api_worker_bad_code": lambda a, p, s: a.get(
            f"/api/v1/complaints/{number(s)}/", {"query_code": "WRONG234"}
        ),
        "api_case_list": lambda a, p, s: a.get("/api/v1/cases/"),
        "api_case_detail": lambda a, p, s: a.get(f"/api/v1/cases/{number(s)}/"),
        "api_case_transitions": lambda a, p, s: a.get(f"/api/v1/cases/{number(s)}/transitions/"),
        "api_case_notices": lambda a, p, s: a.get(f"/api/v1/cases/{number(s)}/notices/"),
        "api_case_accept": lambda a, p, s: a.post(
            f"/api/v1/cases/{number(s)}/transitions/accept/", accept_data(s), format="json"
        ),
        "api_case_evidence": lambda a, p, s: a.post(
            f"/api/v1/cases/{number(s)}/evidence/",
            {"file": SimpleUploadedFile("a.jpg", JPEG_BYTES)},
            format="multipart",
        ),
        "api_claimant_reveal": lambda a, p, s: a.post(
            f"/api/v1/cases/{number(s)}/claims/{first_claim(s)}/reveal/",
            {"field": "id_number"},
            format="json",
        ),
        "api_employers": lambda a, p, s: a.get("/api/v1/employers/"),
        "api_alerts": lambda a, p, s: a.get("/api/v1/alerts/"),
        "api_summary": lambda a, p, s: a.get("/api/v1/dashboard/summary/"),
        "api_policies": lambda a, p, s: a.get("/api/v1/subsidies/policies/"),
        "api_applications": lambda a, p, s: a.get("/api/v1/subsidies/applications/"),
        "api_tasks": lambda a, p, s: a.get("/api/v1/tasks/"),
        "api_application": lambda a, p, s: a.get(
            f"/api/v1/subsidies/applications/{application(s).pk}/"
        ),
        "api_applicant_status": lambda a, p, s: applicant_status(a, s),
        "api_blacklist": lambda a, p, s: a.get("/api/v1/blacklist/"),
        "api_publications": lambda a, p, s: a.get("/api/v1/publications/"),
        "api_applicant_bad_code": lambda a, p, s: applicant_status(a, s, "WRONG234"),
        "page_workbench": lambda a, p, s: p.get("/workbench/"),
        "page_case": lambda a, p, s: p.get(f"/workbench/cases/{number(s)}/"),
        "page_claimant_reveal": lambda a, p, s: p.post(
            f"/workbench/cases/{number(s)}/claims/{first_claim(s)}/reveal/", {"field": "id_number"}
        ),
        "page_document": lambda a, p, s: p.get(
            f"/workbench/cases/{world['accepted'][s].number}/documents/acceptance.docx"
        ),
        "page_evidence": lambda a, p, s: p.get(f"/workbench/evidence/{world['evidence'][s].pk}/"),
        "page_ledger": lambda a, p, s: p.get("/workbench/ledger.xlsx"),
        "page_screen": lambda a, p, s: p.get("/screen/"),
        "page_alerts": lambda a, p, s: p.get("/alerts/"),
        "page_reports": lambda a, p, s: p.get("/reports/"),
        "page_blacklist": lambda a, p, s: p.get("/enforcement/blacklist/"),
        "page_publications": lambda a, p, s: p.get("/enforcement/publications/"),
        "page_subsidies": lambda a, p, s: p.get("/subsidies/"),
        "page_application": lambda a, p, s: p.get(f"/subsidies/applications/{application(s).pk}/"),
        "page_task": lambda a, p, s: p.get(f"/subsidies/tasks/{task(s)}/"),
        "page_correction": lambda a, p, s: p.get(f"/subsidies/tasks/{task(s, 'correction')}/"),
        "page_applicant_status": lambda a, p, s: applicant_lookup(p, s),
        "page_applicant_bad_code": lambda a, p, s: applicant_lookup(p, s, "WRONG234"),
        "api_task_decision": lambda a, p, s: a.post(
            f"/api/v1/tasks/{task(s)}/decision/", {"decision": "approve"}, format="json"
        ),
        "api_correction": lambda a, p, s: a.post(
            f"/api/v1/subsidies/applications/{application(s, 'returned').pk}/correction/",
            correction(s),
            format="json",
        ),
        "page_task_decision": lambda a, p, s: p.post(
            f"/subsidies/tasks/{task(s, 'review2')}/", {"decision": "approve", "note": ""}
        ),
        "api_alert_ack": lambda a, p, s: a.post(f"/api/v1/alerts/{world['alerts'][s].pk}/ack/"),
    }


def test_the_table_covers_every_api_route():
    """A new endpoint must get a row here before it ships."""
    from django.urls import get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    covered = {
        "api/v1/townships/",
        "api/v1/complaints/",  # POST, public: tests/cases/test_complaint_filing.py
        "api/v1/complaints/<str:case_number>/",
        "api/v1/complaints/<str:case_number>/evidence/",  # public with code: test_evidence.py
        "api/v1/cases/",
        "api/v1/cases/<str:case_number>/",
        "api/v1/cases/<str:case_number>/transitions/",
        "api/v1/cases/<str:case_number>/transitions/<str:name>/",
        "api/v1/cases/<str:case_number>/evidence/",
        "api/v1/cases/<str:case_number>/claims/<int:claim_id>/reveal/",
        "api/v1/cases/<str:case_number>/notices/",
        "api/v1/cases/<str:case_number>/contacts/",  # tests/notifications/test_notices_api.py
        "api/v1/cases/<str:case_number>/service-records/",  # idem
        "api/v1/service/<str:token>/",  # public with the SMS link: test_service_link_page.py
        "api/v1/employers/",
        "api/v1/alerts/",
        "api/v1/alerts/<int:alert_id>/ack/",  # tests/notifications/test_alerts_api.py
        "api/v1/dashboard/summary/",
        "api/v1/subsidies/policies/",
        "api/v1/subsidies/applications/",
        "api/v1/subsidies/applications/<int:application_id>/",  # tests/workflows/test_flow_http.py
        "api/v1/subsidies/applications/<int:application_id>/correction/",  # idem
        "api/v1/subsidies/status/<str:number>/",  # public with code: test_applicant_status.py
        "api/v1/tasks/",
        "api/v1/tasks/<int:task_id>/decision/",  # idem
        "api/v1/blacklist/",
        # The writes and details of the blacklist and the publications, role by role:
        # tests/enforcement/test_api.py.
        "api/v1/blacklist/<int:entry_id>/",
        "api/v1/blacklist/<int:entry_id>/decide/",
        "api/v1/blacklist/<int:entry_id>/notify/",
        "api/v1/blacklist/<int:entry_id>/removal/",
        "api/v1/blacklist/<int:entry_id>/removal/decide/",
        "api/v1/publications/",
        "api/v1/publications/<int:publication_id>/",
        "api/v1/publications/<int:publication_id>/approve/",
        "api/v1/auth/token/",  # tests/test_signin.py
        "api/v1/auth/logout/",  # any signed-in user, own tokens only: tests/test_api_tokens.py
        # The re-employment ledger: its own matrix (steward, station, county, case roles,
        # anonymous) in tests/employment/test_it_answers_each_role.py.
        "api/v1/employment/villages/",
        "api/v1/employment/ledger/",
        "api/v1/employment/ledger/<int:entry_id>/",
        "api/v1/employment/ledger/<int:entry_id>/status/",
        "api/v1/employment/services/due/",
        "api/v1/employment/services/<int:item_id>/complete/",
        "api/v1/employment/referrals/",
        "api/v1/employment/referrals/<int:referral_id>/outcome/",
        "api/v1/employment/plants/",
        "api/v1/employment/plants/<int:plant_id>/",
        "api/v1/employment/plants/<int:plant_id>/roster/",
        "api/v1/employment/postings/",
        "api/v1/employment/progress/",
        "api/v1/employment/targets/<int:year>/",
        "api/v1/employment/dispatch/",
    }
    routes = {r for r in walk(get_resolver().url_patterns) if r.startswith("api/v1/")}
    assert routes - covered == set()


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the evidence files below
    for n, township in ((1, "xincheng"), (2, "xincheng")):
        staff(f"wa_x{n}", "inspector", townships=(township,))
    for n in (1, 2):
        staff(f"wa_z{n}", "inspector", townships=("zhaokang",))
    own = file_case(township="xincheng", employer="本乡镇公司", claimants=[claimant(0)])
    other = file_case(township="zhaokang", employer="外乡镇公司", claimants=[claimant(1)])
    cases = {"own": own, "other": other}
    # An accepted case per township (its acceptance notice), with a piece of evidence;
    # kept apart from the cases above, whose events other tests count.
    accepted = {
        "own": _accepted("xincheng", "x", claimant(2)),
        "other": _accepted("zhaokang", "z", claimant(3)),
    }
    return {
        "cases": cases,
        "codes": {"own": own.query_code, "other": other.query_code},
        "alerts": {scope: _alert(case) for scope, case in cases.items()},
        "accepted": accepted,
        "evidence": {
            scope: services.evidence_add(
                case=case, upload=SimpleUploadedFile("pay-slip.jpg", JPEG_BYTES)
            )
            for scope, case in accepted.items()
        },
    }


def _accepted(township, tag, worker):
    case = file_case(township=township, employer=f"{township}已受理公司", claimants=[worker])
    inspector = User.objects.get(username=f"wa_{tag}1")
    services.case_transition(
        case_number=case.number,
        name="accept",
        actor=inspector,
        data={"inspectors": [f"wa_{tag}1", f"wa_{tag}2"]},
    )
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def full_world(world):
    return {**world, **_subsidy_work()}


def _subsidy_work():
    """Per township: an application at the township review (for reads and the API
    decision), a second one (for the page's decision) and one returned for correction.
    A colleague enters them: the person who entered an application decides none of its
    steps."""
    applications, tasks = {}, {}
    for scope, township in (("own", "xincheng"), ("other", "zhaokang")):
        reviewer, clerk = APIClient(), APIClient()
        reviewer.force_authenticate(staff(f"wa_{township}_rev", "township_reviewer", (township,)))
        clerk.force_authenticate(staff(f"wa_{township}_clerk", "township_reviewer", (township,)))
        made = {}
        for offset, which in enumerate(("review", "review2", "returned")):
            index = (0 if scope == "own" else 10) + offset
            body = subsidy_payload(
                township=township, uscc_index=index, beneficiaries=[subsidy_person(index)]
            )
            answer = subsidy_submit(clerk, body)
            made[which] = SubsidyApplication.objects.get(pk=answer["id"])
            made[which].query_code = answer["query_code"]  # shown once, at entry
        task_ids = {which: _open_task(app) for which, app in made.items()}
        returned = reviewer.post(
            f"/api/v1/tasks/{task_ids['returned']}/decision/",
            {"decision": "return", "note": "请补充劳动合同"},
            format="json",
        )
        assert returned.status_code == 200, returned.content.decode()
        task_ids["correction"] = _open_task(made["returned"])
        applications[scope], tasks[scope] = made, task_ids
    return {"applications": applications, "tasks": tasks}


def _open_task(application) -> int:
    from workflows.selectors import open_task_of

    return open_task_of(application).pk


def _alert(case):
    return Alert.objects.create(
        case=case,
        township=case.township,
        reason="risk_red",
        level="red",
        score=80,
        message=f"{case.number} 风险升至红色",
        created_at=timezone.now(),
    )


def _snapshot(world) -> dict:
    """What the writes in the table could change, per scope and object."""
    state = {}
    for scope in ("own", "other"):
        for which, app in world["applications"][scope].items():
            fresh = SubsidyApplication.objects.get(pk=app.pk)
            state[(scope, which)] = (fresh.state, fresh.events.count())
        state[(scope, "alert")] = Alert.objects.get(pk=world["alerts"][scope].pk).status
    return state


# The objects each role may change, written out from the table's write rows: a township
# reviewer decides and corrects its own township's applications; a role that may
# acknowledge alerts does so in its townships (the supervisor is county-level).
# Nothing else may change, least of all in the other township.
CHANGES = {
    "township_reviewer": {("own", "review"), ("own", "review2"), ("own", "returned")},
    "inspector": {("own", "alert")},
    "mediator": {("own", "alert")},
    "arbitrator": {("own", "alert")},
    "administrator": {("own", "alert")},
    "supervisor": {("own", "alert"), ("other", "alert")},
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(role, full_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = full_world
    api, page = APIClient(), Client()
    if role != "anonymous":
        county = role in COUNTY_LEVEL
        user = staff(
            f"m_{role}", role, townships=() if county else ("xincheng",), county_level=county
        )
        api.force_authenticate(user)
        page.force_login(user)
    requests = _requests(world)
    assert list(requests) == list(EXPECTED)  # same rows, same order (writes last)
    before = _snapshot(world)
    wrong = []
    for endpoint, send in requests.items():
        for scope in ("own", "other"):
            status = send(api, page, scope).status_code
            if status != expected(endpoint, role)[scope]:
                wrong.append(
                    f"{endpoint} {scope}: {status}, expected {expected(endpoint, role)[scope]}"
                )
    assert wrong == []
    after = _snapshot(world)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == CHANGES.get(role, set())


@pytest.mark.parametrize("role", ["inspector", "mediator", "arbitrator", "administrator"])
def test_a_township_user_never_sees_another_townships_case(role, world):
    cases = world["cases"]
    user = staff(f"m_{role}", role, townships=("xincheng",))
    api = APIClient()
    api.force_authenticate(user)
    numbers = {row["case_number"] for row in api.get("/api/v1/cases/").json()["results"]}
    assert numbers == {cases["own"].number, world["accepted"]["own"].number}
    searched = api.get("/api/v1/cases/", {"q": cases["other"].number}).json()["results"]
    assert searched == []
    by_filter = api.get("/api/v1/cases/", {"township": "zhaokang"}).json()["results"]
    assert by_filter == []
    page = Client()
    page.force_login(user)
    body = page.get("/workbench/").content.decode()
    assert cases["own"].number in body and cases["other"].number not in body
    ledger = openpyxl.load_workbook(
        io.BytesIO(b"".join(page.get("/workbench/ledger.xlsx").streaming_content))
    )
    cells = {str(c.value) for sheet in ledger for row in sheet.iter_rows() for c in row}
    assert cases["own"].number in cells and cases["other"].number not in cells


def test_a_failed_cross_township_write_changes_nothing(world):
    cases = world["cases"]
    user = staff("m_insp", "inspector", townships=("xincheng",))
    api = APIClient()
    api.force_authenticate(user)
    other = cases["other"]
    api.post(
        f"/api/v1/cases/{other.number}/transitions/accept/",
        {"inspectors": ["wa_z1", "wa_z2"]},
        format="json",
    )
    other_now = Case.objects.get(pk=other.pk)
    assert (other_now.state, other_now.version) == ("submitted", 0)
    assert other_now.events.count() == 1


@pytest.mark.parametrize("role", ["township_reviewer", "inspector"])
def test_a_township_user_never_sees_another_townships_subsidy_work_or_alert(role, full_world):
    world = full_world
    user = staff(f"m_{role}", role, townships=("xincheng",))
    api, page = APIClient(), Client()
    api.force_authenticate(user)
    page.force_login(user)
    own = {app.number for app in world["applications"]["own"].values()}
    other = {app.number for app in world["applications"]["other"].values()}

    alerts = api.get("/api/v1/alerts/").json()["results"]
    assert [a["id"] for a in alerts] == [world["alerts"]["own"].pk]
    alert_page = page.get("/alerts/").content.decode()
    assert world["cases"]["own"].number in alert_page
    assert world["cases"]["other"].number not in alert_page
    if role != "township_reviewer":
        return
    listed = api.get("/api/v1/subsidies/applications/").json()["results"]
    assert {row["number"] for row in listed} == own
    by_state = api.get("/api/v1/subsidies/applications/", {"state": "returned"}).json()
    assert {row["number"] for row in by_state["results"]} == {
        world["applications"]["own"]["returned"].number
    }
    tasks = api.get("/api/v1/tasks/").json()
    assert {t["application"]["number"] for t in tasks} == own
    for url in ("/subsidies/", "/subsidies/applications/"):
        body = page.get(url).content.decode()
        assert all(n in body for n in own) and not any(n in body for n in other), url


def test_a_failed_cross_township_subsidy_write_changes_nothing(full_world):
    world = full_world
    reviewer = staff("m_rev", "township_reviewer", townships=("xincheng",))
    api, page = APIClient(), Client()
    api.force_authenticate(reviewer)
    page.force_login(reviewer)
    before = _snapshot(world)
    other_tasks = world["tasks"]["other"]
    for decision in ("approve", "return", "reject"):
        response = api.post(
            f"/api/v1/tasks/{other_tasks['review']}/decision/",
            {"decision": decision, "note": "越权"},
            format="json",
        )
        assert response.status_code == 404
        response = page.post(
            f"/subsidies/tasks/{other_tasks['review2']}/", {"decision": decision, "note": "越权"}
        )
        assert response.status_code == 404
    # the correction task through the decision endpoint, and a correction form post
    assert (
        api.post(
            f"/api/v1/tasks/{other_tasks['correction']}/decision/",
            {"decision": "approve"},
            format="json",
        ).status_code
        == 404
    )
    assert page.post(f"/subsidies/tasks/{other_tasks['correction']}/", {}).status_code == 404
    assert _snapshot(world) == before


def test_the_applicant_s_session_opens_only_the_application_it_proved(full_world):
    own = full_world["applications"]["own"]["review"]
    other = full_world["applications"]["other"]["review"]
    applicant = Client()
    proved = applicant.post(
        "/subsidies/status/", {"number": own.number, "query_code": own.query_code}
    )
    assert proved.status_code == 302

    assert applicant.get(f"/subsidies/status/{own.number}/").status_code == 200
    refused = applicant.get(f"/subsidies/status/{other.number}/")
    assert refused.status_code == 302 and refused["Location"].startswith("/subsidies/status/?")
    # one application's code opens no other
    assert (
        applicant.post(
            "/subsidies/status/", {"number": other.number, "query_code": own.query_code}
        ).status_code
        == 404
    )
    assert (
        APIClient()
        .get(f"/api/v1/subsidies/status/{other.number}/", {"query_code": own.query_code})
        .status_code
        == 404
    )
