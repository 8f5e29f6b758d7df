"""The queue and the case page run a fixed number of queries, however much data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from tests.cases.complaint_support import JPEG_BYTES, PDF_BYTES, png_bytes
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    """The page's queries once the process has the rule tables (rules.memo)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def busy_case(people, index, claimants):
    case = file_case(
        employer=f"查询测试公司{index}",
        claimants=[claimant(i, amount="1000") for i in range(claimants)],
    )
    services.case_transition(
        case_number=case.number,
        name="accept",
        actor=people["inspector"],
        data={"inspectors": ["insp_a", "insp_b"]},
    )
    for note in ("第一次听取", "第二次听取"):
        services.case_transition(
            case_number=case.number,
            name="hear_employer",
            actor=people["inspector"],
            data={"note": note},
        )
    return case


def test_it_runs_the_same_queries_for_a_queue_of_3_or_30_cases(client, people):
    client.force_login(people["inspector"])
    for i in range(3):
        busy_case(people, i, claimants=1)
    small = count_queries(client, "/workbench/")

    for i in range(3, 30):
        busy_case(people, i, claimants=4)
    large = count_queries(client, "/workbench/")

    assert small == large
    print(f"queue: {large} queries")


def test_it_runs_the_same_queries_for_a_supervisors_queue_with_extensions(client, people):
    client.force_login(people["supervisor"])
    busy_case(people, 0, claimants=1)
    small = count_queries(client, "/workbench/?sort=-risk_score")

    for i in range(1, 12):
        busy_case(people, i, claimants=3)
    large = count_queries(client, "/workbench/?sort=-risk_score")

    assert small == large


def test_it_runs_the_same_queries_for_a_small_and_a_big_case_page(
    client, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["inspector"])
    small_case = busy_case(people, 0, claimants=1)
    small = count_queries(client, f"/workbench/cases/{small_case.number}/")

    big_case = busy_case(people, 1, claimants=12)
    for i in range(6):
        services.case_transition(
            case_number=big_case.number,
            name="hear_employer",
            actor=people["inspector"],
            data={"note": f"补充听取{i}"},
        )
    for name, content in (("a.png", png_bytes()), ("b.jpg", JPEG_BYTES), ("c.pdf", PDF_BYTES)):
        services.evidence_add(case=big_case, upload=SimpleUploadedFile(name, content))
    large = count_queries(client, f"/workbench/cases/{big_case.number}/")

    assert small == large
    print(f"case page: {large} queries")


def test_it_runs_the_same_queries_for_a_search_over_3_or_30_cases(client, people):
    client.force_login(people["inspector"])
    search = "/workbench/?q=13800130001&state=all&collective=&received_from=2020-01-01"
    for i in range(3):
        busy_case(people, i, claimants=2)
    small = count_queries(client, search)

    for i in range(3, 30):
        busy_case(people, i, claimants=4)
    large = count_queries(client, search)

    assert small == large
