"""The rule tables are kept per process (cases.memo) and read again after any change,
whoever makes it: the ORM, plain SQL, or a transaction that is rolled back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import memo, rules
from cases.models import LegalParameter, RuleTablesVersion, Township
from cases.serializers import TownshipField

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def version_row():
    RuleTablesVersion.objects.get_or_create(pk=1)  # a transactional test may have flushed it


def window_days():
    return rules.int_parameter("duplicate_window_days", ON)


def window_set(days):
    LegalParameter.objects.filter(code="duplicate_window_days").update(value=Decimal(days))


def test_a_block_reads_the_rules_with_one_query_once_the_process_has_them():
    with memo.request_memo():
        window_days()
    with memo.request_memo(), CaptureQueriesContext(connection) as queries:
        window_days()
        rules.int_parameter("collective_min_claimants", ON)
        window_days()

    assert [q["sql"] for q in queries] == [
        "SELECT generation FROM cases_ruletablesversion WHERE id = 1"
    ]


def test_a_change_through_the_orm_is_read_at_once():
    window_days()
    window_set(17)

    assert window_days() == 17
    with memo.request_memo():
        assert window_days() == 17


def test_a_change_in_plain_sql_is_read_at_once():
    window_days()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_legalparameter SET value = 23 WHERE code = 'duplicate_window_days'"
        )

    assert window_days() == 23


def test_a_change_rolled_back_is_not_kept():
    before = window_days()
    with pytest.raises(RuntimeError), transaction.atomic():
        window_set(99)
        assert window_days() == 99  # this transaction sees its own change
        raise RuntimeError("the admin's save failed")

    assert window_days() == before


def test_a_block_sees_one_version_of_the_rules():
    with memo.request_memo():
        first = window_days()
        window_set(first + 5)
        assert window_days() == first
    assert window_days() == first + 5


def test_a_new_township_is_known_at_once_to_the_complaint_form():
    field = TownshipField()
    with pytest.raises(Exception, match="xinzhen"):
        field.to_internal_value("xinzhen")

    Township.objects.create(code="xinzhen", name="新镇", sort_order=99)

    assert field.to_internal_value("xinzhen").name == "新镇"


def test_without_the_version_row_every_read_goes_to_the_database():
    RuleTablesVersion.objects.all().delete()
    window_days()
    window_set(31)

    assert window_days() == 31
