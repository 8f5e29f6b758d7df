"""The rule tables are kept per process (rules.memo) and read again after any change,
whoever makes it: the ORM, plain SQL, or a transaction that is rolled back."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases import clocks
from core.models import Township
from core.serializers import TownshipField
from rules import memo
from rules import parameters as rules
from rules.models import LegalParameter, RuleTablesVersion
from rules.triggers import rule_tables_watch, watched_tables

pytestmark = pytest.mark.django_db

RULE_TABLES = watched_tables()  # every model that registered itself for the triggers

ON = dt.date(2026, 6, 1)


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


def test_a_rule_read_first_inside_a_transaction_that_rolls_back_is_not_kept():
    before = window_days()
    memo.process_cache_clear()
    with memo.request_memo():
        clocks.rule_for("acceptance_inspection", ON)  # the block reads its generation
        with pytest.raises(RuntimeError), transaction.atomic():
            window_set(99)
            assert window_days() == 99  # first read of this table in the block
            raise RuntimeError("the admin's save failed")

    assert window_days() == before
    with memo.request_memo():
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


def triggers_on():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = 'rule_tables_changed'"
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()} & set(RULE_TABLES)


def test_every_rule_table_is_watched():
    assert triggers_on() == set(RULE_TABLES)


def test_a_lost_row_and_trigger_come_back_after_migrate_or_flush():
    # What a flush (the row) or an SQLite table rebuild (its triggers) leaves behind.
    RuleTablesVersion.objects.all().delete()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER rule_tables_changed ON cases_calendarday")
        else:
            cursor.execute("DROP TRIGGER cases_calendarday_changed_UPDATE")

    rule_tables_watch(connection)  # post_migrate runs it (rules.apps)

    assert RuleTablesVersion.objects.filter(pk=1).exists()
    assert triggers_on() == set(RULE_TABLES)
