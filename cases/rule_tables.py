"""The statutory rule tables: clock periods, legal figures and the official calendar.

Data the county edits in the admin, each row with its citation and effective date;
cases/clocks.py and cases/rules.py read them. Models of the cases app (re-exported by
cases.models, so `from cases.models import ClockRule` keeps working).
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import models


class ClockRule(models.Model):
    """A statutory period: how long a stage may take and how its days are counted."""

    class DayKind(models.TextChoices):
        WORKING = "working", "工作日"
        CALENDAR = "calendar", "自然日"

    stage = models.CharField("环节", max_length=40)
    label = models.CharField("名称", max_length=100)
    days = models.PositiveSmallIntegerField("期限(日)")
    day_kind = models.CharField("计日方式", max_length=10, choices=DayKind)
    approver_role = models.CharField(
        "延长审批角色", max_length=30, blank=True, help_text="仅延长类规则：谁可以批准延长。"
    )
    citation = models.CharField("法律依据", max_length=200)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法定时限规则"
        ordering = ["stage", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "effective_from"], name="clock_rule_unique")
        ]

    def __str__(self):
        return f"{self.label}: {self.days}{self.get_day_kind_display()} ({self.citation})"


class LegalParameter(models.Model):
    """A threshold or figure used by the rules, e.g. the 276-1 amounts [CONFIG]."""

    code = models.CharField("代码", max_length=60)
    label = models.CharField("名称", max_length=120)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    unit = models.CharField("单位", max_length=20, blank=True)
    citation = models.CharField("依据", max_length=200)
    confirmed = models.BooleanField(
        "已确认", default=True, help_text="未确认的为默认值 [CONFIG]，需由管理员核实。"
    )
    effective_from = models.DateField("生效日期")

    class Meta:
        verbose_name = verbose_name_plural = "法定参数"
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="parameter_unique")
        ]

    def __str__(self):
        flag = "" if self.confirmed else " [CONFIG]"
        return f"{self.label} = {self.value}{self.unit}{flag}"


class CalendarYear(models.Model):
    """A year of the State Council's holiday notice, entered by an administrator.

    Its CalendarDay entries override the calendar package; the other days of the year
    follow the package, or the ordinary week (Monday to Friday working) for a year the
    package does not know (cases.clocks.WorkingCalendar.is_working_day).
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据(国务院办公厅通知)", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "官方节假日年度"
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选：调休上班日；不勾选：放假。")
    name = models.CharField("说明", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.name}"

    def clean(self):
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": "日期不在该年度内。"})


def new_generation() -> int:
    return secrets.randbits(62)


class RuleTablesVersion(models.Model):
    """One row whose `generation` changes with every change to a rule table.

    Database triggers set it (rule_tables_triggers_sql), whatever wrote the rule rows:
    the admin, a migration, a bulk load or plain SQL. cases.memo keeps the rule tables in
    each process for as long as the generation it read them under is the current one.
    """

    generation = models.BigIntegerField(default=new_generation)

    class Meta:
        verbose_name = verbose_name_plural = "规则表版本"

    def __str__(self):
        return str(self.generation)


# Every table cases.memo caches. Their triggers set a new random generation rather than
# add one: a change that is rolled back must not leave its number to a later change,
# which would then be mistaken for it by a process that read the rolled-back rows.
RULE_TABLES = [
    "cases_township",
    "cases_legalparameter",
    "cases_clockrule",
    "cases_calendaryear",
    "cases_calendarday",
    "notifications_riskruleset",
    "notifications_riskkeyword",
    "notifications_springfestival",
]
_SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rule_tables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_ruletablesversion SET generation = (random() * 9.2e18)::bigint;
    RETURN NULL;
END $$;
"""
_PG_TRIGGER = """
DROP TRIGGER IF EXISTS rule_tables_changed ON {table};
CREATE TRIGGER rule_tables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION rule_tables_changed();
"""
# SQLite has row triggers only, one per operation; random() is a 64-bit integer there.
_SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_changed_{op} AFTER {op} ON {table}
BEGIN UPDATE cases_ruletablesversion SET generation = random(); END;
"""


def rule_tables_triggers_sql(vendor: str, tables: list[str]) -> list[str]:
    """The statements that make every change to `tables` set a new generation."""
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [_PG_TRIGGER.format(table=t) for t in tables]
    if vendor == "sqlite":
        return [_SQLITE_TRIGGER.format(table=t, op=op) for t in tables for op in _SQLITE_OPS]
    raise NotImplementedError(f"no rule-table triggers for {vendor}")


def rule_tables_triggers_drop_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS rule_tables_changed ON {t}" for t in tables]
    return [f"DROP TRIGGER IF EXISTS {t}_changed_{op}" for t in tables for op in _SQLITE_OPS]


def rule_tables_watch(connection) -> None:
    """The version row and every rule table's trigger, created where missing.

    Runs after every migrate and flush (post_migrate, cases.apps), not only in the
    migrations that first made them: on SQLite a later migration that rebuilds a rule
    table drops its triggers, and a flush (transactional tests) deletes the row. Without
    them the cache would go stale or, without the row, simply off.
    """
    existing = set(connection.introspection.table_names())
    if RuleTablesVersion._meta.db_table not in existing:
        return  # migrated back before cases 0007
    RuleTablesVersion.objects.using(connection.alias).get_or_create(pk=1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = 'rule_tables_changed'"
            )
            watched = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[0] for row in cursor.fetchall()}
            watched = {
                t for t in RULE_TABLES if all(f"{t}_changed_{op}" in names for op in _SQLITE_OPS)
            }
        missing = [t for t in RULE_TABLES if t in existing and t not in watched]
        if missing:
            for statement in rule_tables_triggers_sql(connection.vendor, missing):
                cursor.execute(statement)
