"""An import file whose XML declares a DTD (entities, external or nested ones) gets the
import page with a 400 and a plain reason, never a 500, and nothing is imported."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from core import sheet_import
from tests.cases.test_ledger import row, sheet

pytestmark = pytest.mark.django_db

DTDS = {
    "internal": b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    "external": b'<!DOCTYPE x [<!ENTITY b SYSTEM "file:///etc/hostname">]>',
}


def _with_dtd(part: str, dtd: bytes, use: bool) -> SimpleUploadedFile:
    """A valid import sheet whose `part` declares `dtd` (and uses &b; in a cell)."""
    source = zipfile.ZipFile(io.BytesIO(sheet([row("XQ-DTD", 1)]).read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                assert not data.startswith(b"<?xml")  # openpyxl writes no declaration
                data = dtd + data
                if use:
                    data = data.replace(b">XQ-DTD<", b">&b;<")
            package.writestr(item, data)
    return SimpleUploadedFile("import.xlsx", out.getvalue())


@pytest.mark.parametrize("use", [True, False], ids=["entity-used", "declared-only"])
@pytest.mark.parametrize("dtd", list(DTDS))
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_it_refuses_an_import_whose_xml_declares_a_dtd(client, people, part, dtd, use):
    client.force_login(people["inspector"])

    response = client.post("/workbench/import/", {"file": _with_dtd(part, DTDS[dtd], use)})

    assert response.status_code == 400
    assert sheet_import.XML_DTD_REFUSED in response.content.decode()
    assert not Case.objects.exists()


def test_it_answers_400_when_a_sheet_breaks_while_it_is_read(client, people):
    # Read-only openpyxl parses a sheet only while iterating; whatever breaks there
    # (here an entity no DTD declares) is the file's fault.
    client.force_login(people["inspector"])
    broken = _with_dtd("xl/worksheets/sheet1.xml", b"", use=True)

    response = client.post("/workbench/import/", {"file": broken})

    assert response.status_code == 400
    assert sheet_import.NOT_A_WORKBOOK in response.content.decode()
