"""The exported publication (Excel and the printable page) carries no worker's
personal data and no formula."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from enforcement import errors, exports, publications
from tests.enforcement.support import DAY0, browser, listed, ordered_case, run

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 2)


@pytest.fixture
def approved(people):
    case = ordered_case(people, employer='=HYPERLINK("http://x")襄汾县公式公司')
    run(
        case, "penalize", people["inspector"], DAY0 + dt.timedelta(days=25), compensation_percent=50
    )
    listed(people, case=case)
    publication = publications.publication_draft(
        year=2026, quarter=1, actor=people["inspector"], today=TODAY
    )
    return publications.publication_approve(
        publication_id=publication.pk, actor=people["supervisor"]
    )


def cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [c.value for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_workbook_has_labels_and_no_worker_data_or_formula(people, approved):
    values = cells(exports.publication_workbook(approved))
    assert "违法主体名称" in values and "主要违法事实" in values
    text = " ".join(str(v) for v in values)
    worker = approved.items.get()
    from cases.models import Case

    case = Case.objects.get(number=worker.case_number)
    person = case.claims.first().person
    for secret in (person.name, person.id_number, person.phone, case.number):
        assert secret not in text
    assert "'=HYPERLINK" in text  # neutralised: stored as text


def test_the_pages_export_only_an_approved_list(people, approved):
    client = browser(people["inspector"])
    response = client.get(f"/enforcement/publications/{approved.pk}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(f"/enforcement/publications/{approved.pk}/print/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "襄汾县公式公司" in body and "工人0" not in body


def test_a_draft_is_not_exported(people):
    publication = publications.publication_draft(
        year=2026, quarter=1, actor=people["inspector"], today=TODAY
    )
    with pytest.raises(errors.Conflict):
        from enforcement.views import _approved

        _approved(publication)
