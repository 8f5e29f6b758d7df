"""Figures from the rule tables as messages quote them: "30个工作日", "三日", "2年".

A message that states a statutory figure is built from the table, never typed: when the
county changes the figure in the admin, the text changes with it. Texts declared when a
module loads (transition labels, choice labels) are lazy: they read the table when they
are shown, so the figure is the one in force that day.
"""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone
from django.utils.functional import lazy

from rules.clock_rules import rule_for
from rules.models import ClockRule
from rules.parameters import int_parameter

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1-99 as legal texts write them: 三, 十, 十五, 二十, 六十 (others as digits)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def months_text(months: int) -> str:
    """24 -> "2年", 12 -> "1年", 18 -> "18个月"."""
    return f"{months // 12}年" if months and months % 12 == 0 else f"{months}个月"


def days_text(days: int, working: bool) -> str:
    """30, working -> "30个工作日"; 15 -> "15日"."""
    return f"{days}个工作日" if working else f"{days}日"


def period(stage: str, on: dt.date | None = None) -> str:
    """The statutory period of a stage in force on the day: "30个工作日", "15日"."""
    rule = rule_for(stage, on or timezone.localdate())
    return days_text(rule.days, rule.day_kind == ClockRule.DayKind.WORKING)


def parameter_months(code: str, on: dt.date | None = None) -> str:
    """A legal parameter counted in months, as years where it is whole years: "2年"."""
    return months_text(int_parameter(code, on))


def parameter_chinese(code: str, on: dt.date | None = None) -> str:
    """A legal parameter in Chinese numerals: "三"."""
    return chinese_numeral(int_parameter(code, on))


def _filled(template: str, fields: dict[str, Callable[[], str]]) -> str:
    return template.format(**{name: read() for name, read in fields.items()})


_lazy_filled = lazy(_filled, str)


def text(template: str, **fields: Callable[[], str]) -> str:
    """The template with each {field} read from the rule tables when the text is shown.

    text("延长审理期限（{p}）", p=lambda: period("award_extension"))
    """
    return _lazy_filled(template, fields)
