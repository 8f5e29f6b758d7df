"""Months as "YYYY-MM" keys, and amounts as a person reads them."""

import datetime as dt
from decimal import Decimal

from workflows.eligibility.facts import CENT


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(key: str) -> dt.date:
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1)


def months_between(start: dt.date, end: dt.date) -> list[str]:
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_ranges(keys) -> str:
    """'2025-01至2025-03、2025-06': consecutive months folded into ranges."""
    keys = sorted(set(keys))
    if not keys:
        return "无"
    parts, start, prev = [], keys[0], keys[0]
    for key in keys[1:]:
        if months_between(first_day(prev), first_day(key)) == [prev, key]:
            prev = key
            continue
        parts.append(start if start == prev else f"{start}至{prev}")
        start = prev = key
    parts.append(start if start == prev else f"{start}至{prev}")
    return "、".join(parts)


def yuan(amount: Decimal) -> str:
    amount = Decimal(amount).quantize(CENT)
    text = f"{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _by_application(held: dict[str, str], months) -> str:
    numbers = sorted({held[m] for m in months})
    return "、".join(numbers)
