"""Query codes are kept only as a keyed hash: nothing in the database gives a live code
(the case row, the stored idempotent answer, the SMS record), yet the code works."""

import importlib
import types
from unittest import mock

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Case, IdempotencyRecord
from core import query_codes
from notifications.models import SmsMessage
from tests.cases.complaint_support import COMPLAINTS_URL, complaint

pytestmark = pytest.mark.django_db


def _table_text(model) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table}")
        return repr(cursor.fetchall())


def test_it_keeps_no_query_code_in_clear_anywhere_in_the_database(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = APIClient().post(
            COMPLAINTS_URL, complaint(), format="json", headers={"Idempotency-Key": "k-1"}
        )
    code = answer.json()["query_code"]
    assert SmsMessage.objects.get().text.count(code) == 1  # the worker got it

    for model in (Case, IdempotencyRecord, SmsMessage):
        assert code not in _table_text(model), model.__name__
    case = Case.objects.get()
    assert case.query_code_hash == query_codes.query_code_hash(code)
    assert case.query_code_pending == ""  # wiped once texted
    status = APIClient().get(f"/api/v1/complaints/{case.number}/", {"query_code": code})
    assert status.status_code == 200


def test_a_retried_filing_still_answers_with_its_code():
    body = complaint()
    first = APIClient().post(COMPLAINTS_URL, body, format="json", headers={"Idempotency-Key": "k"})
    retry = APIClient().post(COMPLAINTS_URL, body, format="json", headers={"Idempotency-Key": "k"})

    assert retry.json() == first.json() and first.json()["query_code"]


def test_staff_pages_and_the_api_no_longer_show_the_code(client):
    from tests.factories import file_case, staff

    case = file_case()
    inspector = staff("insp_code", "inspector")
    api = APIClient()
    api.force_authenticate(inspector)
    client.force_login(inspector)

    detail = api.get(f"/api/v1/cases/{case.number}/").json()
    page = client.get(f"/workbench/cases/{case.number}/").content.decode()

    assert "query_code" not in detail and case.query_code not in str(detail)
    assert case.query_code not in page and "/code/resend/" in page


@pytest.mark.parametrize(
    ("module", "model_name"),
    [
        ("cases.migrations.0010_query_code_hashed", "Case"),
        ("workflows.migrations.0005_query_code_hashed", "SubsidyApplication"),
    ],
)
def test_the_migration_hashes_every_existing_code(module, model_name):
    migration = importlib.import_module(module)
    rows = [types.SimpleNamespace(pk=n, query_code=c) for n, c in enumerate(["ABCD2345", "XY7"])]
    model = mock.Mock()
    model.objects.only.return_value.order_by.return_value.iterator.return_value = rows

    migration.hash_codes(mock.Mock(get_model=mock.Mock(return_value=model)), None)

    assert [r.query_code_hash for r in rows] == [
        query_codes.query_code_hash("ABCD2345"),
        query_codes.query_code_hash("XY7"),
    ]
    assert query_codes.query_code_matches(rows[0].query_code_hash, " abcd2345 ")
    assert model.objects.bulk_update.called
