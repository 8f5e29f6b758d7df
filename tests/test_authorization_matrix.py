"""Authorization matrix: every API endpoint and staff page x every role x a case in the
user's own township and one in another township.

The expected answers are written out below by hand from API.md and the role
definitions (not derived from the code under test). Reading the table: one column per
role, each cell "own/other" = the HTTP status for the object in the user's township /
in another township (list and page endpoints without an object give the same answer
twice). Besides the status codes, the case list and the alert list must never contain
anything from another township for a township-scoped user.
"""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case
from tests.cases.complaint_support import JPEG_BYTES
from tests.factories import claimant, file_case, staff

pytestmark = pytest.mark.django_db

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
    "api_case_accept":      "200/404 403/404 403/404 200/200 403/403 403/403 403/403 403/403 403/404 401/401",
    "api_case_evidence":    "201/404 201/404 201/404 201/201 403/403 403/403 403/403 403/403 201/404 401/401",
    "api_employers":        "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 401/401",
    "api_alerts":           "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 401/401",
    "api_summary":          "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 401/401",
    "api_policies":         "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200",
    "api_applications":     "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 401/401",
    "api_tasks":            "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 401/401",
    # --- pages (anonymous: redirected to the login page) -------------------------------
    "page_workbench":       "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 302/302",
    "page_case":            "200/404 200/404 200/404 200/200 403/403 403/403 403/403 403/403 200/404 302/302",
    "page_ledger":          "200/200 200/200 200/200 200/200 403/403 403/403 403/403 403/403 200/200 302/302",
    "page_screen":          "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 302/302",
    "page_alerts":          "200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 200/200 302/302",
    "page_subsidies":       "403/403 403/403 403/403 200/200 403/403 200/200 200/200 200/200 200/200 302/302",
}
# fmt: on


def expected(endpoint, role):
    cell = EXPECTED[endpoint].split()[ROLES.index(role)]
    own, other = cell.split("/")
    return {"own": int(own), "other": int(other)}


def _api(client, method, url, **kwargs):
    return getattr(client, method)(url, **kwargs)


def _requests(cases, codes):
    """endpoint -> function(api_client, page_client, scope) -> response."""

    def number(scope):
        return cases[scope].number

    def accept_data(scope):
        township = "x" if scope == "own" else "z"
        return {"inspectors": [f"wa_{township}1", f"wa_{township}2"]}

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
        "api_case_accept": lambda a, p, s: a.post(
            f"/api/v1/cases/{number(s)}/transitions/accept/", accept_data(s), format="json"
        ),
        "api_case_evidence": lambda a, p, s: a.post(
            f"/api/v1/cases/{number(s)}/evidence/",
            {"file": SimpleUploadedFile("a.jpg", JPEG_BYTES)},
            format="multipart",
        ),
        "api_employers": lambda a, p, s: a.get("/api/v1/employers/"),
        "api_alerts": lambda a, p, s: a.get("/api/v1/alerts/"),
        "api_summary": lambda a, p, s: a.get("/api/v1/dashboard/summary/"),
        "api_policies": lambda a, p, s: a.get("/api/v1/subsidies/policies/"),
        "api_applications": lambda a, p, s: a.get("/api/v1/subsidies/applications/"),
        "api_tasks": lambda a, p, s: a.get("/api/v1/tasks/"),
        "page_workbench": lambda a, p, s: p.get("/workbench/"),
        "page_case": lambda a, p, s: p.get(f"/workbench/cases/{number(s)}/"),
        "page_ledger": lambda a, p, s: p.get("/workbench/ledger.xlsx"),
        "page_screen": lambda a, p, s: p.get("/screen/"),
        "page_alerts": lambda a, p, s: p.get("/alerts/"),
        "page_subsidies": lambda a, p, s: p.get("/subsidies/"),
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
        "api/v1/auth/token/",  # tests/test_signin.py
    }
    routes = {r for r in walk(get_resolver().url_patterns) if r.startswith("api/v1/")}
    assert routes - covered == set()


@pytest.fixture
def world():
    for n, township in ((1, "xincheng"), (2, "xincheng")):
        staff(f"wa_x{n}", "inspector", townships=(township,))
    for n in (1, 2):
        staff(f"wa_z{n}", "inspector", townships=("zhaokang",))
    own = file_case(township="xincheng", employer="本乡镇公司", claimants=[claimant(0)])
    other = file_case(township="zhaokang", employer="外乡镇公司", claimants=[claimant(1)])
    codes = {"own": own.query_code, "other": other.query_code}
    return {"own": own, "other": other}, codes


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(role, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cases, codes = world
    api, page = APIClient(), Client()
    if role != "anonymous":
        county = role in COUNTY_LEVEL
        user = staff(
            f"m_{role}", role, townships=() if county else ("xincheng",), county_level=county
        )
        api.force_authenticate(user)
        page.force_login(user)
    requests = _requests(cases, codes)
    assert set(requests) == set(EXPECTED)
    wrong = []
    for endpoint, send in requests.items():
        for scope in ("own", "other"):
            status = send(api, page, scope).status_code
            if status != expected(endpoint, role)[scope]:
                wrong.append(
                    f"{endpoint} {scope}: {status}, expected {expected(endpoint, role)[scope]}"
                )
    assert wrong == []


@pytest.mark.parametrize("role", ["inspector", "mediator", "arbitrator", "administrator"])
def test_a_township_user_never_sees_another_townships_case(role, world):
    cases, _ = world
    user = staff(f"m_{role}", role, townships=("xincheng",))
    api = APIClient()
    api.force_authenticate(user)
    numbers = [row["case_number"] for row in api.get("/api/v1/cases/").json()["results"]]
    assert numbers == [cases["own"].number]
    searched = api.get("/api/v1/cases/", {"q": cases["other"].number}).json()["results"]
    assert searched == []
    by_filter = api.get("/api/v1/cases/", {"township": "zhaokang"}).json()["results"]
    assert by_filter == []
    page = Client()
    page.force_login(user)
    body = page.get("/workbench/").content.decode()
    assert cases["own"].number in body and cases["other"].number not in body
    ledger = openpyxl.load_workbook(io.BytesIO(page.get("/workbench/ledger.xlsx").content))
    cells = {str(c.value) for sheet in ledger for row in sheet.iter_rows() for c in row}
    assert cases["own"].number in cells and cases["other"].number not in cells


def test_a_failed_cross_township_write_changes_nothing(world):
    cases, _ = world
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
