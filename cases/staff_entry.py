"""The rules every staff entry of a case obeys, whatever the path: the API's staff
filing, the workbench intake forms (a complaint from any channel, an inspection opened
on the inspector's own initiative) and the spreadsheet import.

- Own township only: staff file into the townships they work for (county-level staff
  into any).
- The received time is not in the future, and not further back than the limitation
  period of the case's track allows (LegalParameter `limitation_months_<kind>`:
  2 years for inspection, 监察条例 art.20; 1 year for disputes, LDMAL art.27).
- A received time further back than a small tolerance (LegalParameter
  `backdate_tolerance_days`) needs a reason, which the case's first event records.

One function, staff_entry_problems, answers all three; each path turns its answer into
its own kind of error (a serializer error, a row of the import report, a form error).
"""

import calendar
import datetime as dt

from django.utils import timezone

from core import roles
from rules import parameters as rules

OUT_OF_JURISDICTION = "该乡镇不在您的管辖范围内。"
RECEIVED_AT_FUTURE = "收到时间不能晚于现在。"
RECEIVED_AT_TOO_OLD = (
    "收到时间早于{earliest}：已超过{kind}的{months}个月时效，不能补录；请核对日期。"
)
BACKDATE_REASON_REQUIRED = "收到时间比现在早{days}天（超过{tolerance}天）：请填写补录原因（如来信登记延误、热线工单转办）。"

KIND_LABELS = {"wage_arrears": "劳动保障监察", "labor_dispute": "劳动争议仲裁"}


def limitation_parameter(kind: str) -> str:
    return f"limitation_months_{kind}"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def backdated_days(received_at: dt.datetime | None, now: dt.datetime | None = None) -> int:
    """Whole days between the day received and today (0 for today or no received time)."""
    if received_at is None:
        return 0
    today = timezone.localtime(now or timezone.now()).date()
    return max((today - timezone.localtime(received_at).date()).days, 0)


def staff_entry_problems(
    *,
    user,
    township,
    kind: str,
    received_at: dt.datetime | None,
    backdate_reason: str = "",
    now: dt.datetime | None = None,
) -> dict[str, list[str]]:
    """What is wrong with a staff entry, by field ("township", "received_at",
    "backdate_reason"); empty when it may be filed."""
    problems: dict[str, list[str]] = {}
    if township is not None and not roles.in_jurisdiction(user, township.id):
        problems["township"] = [OUT_OF_JURISDICTION]
    if received_at is None:
        return problems
    now = now or timezone.now()
    if received_at > now:
        problems["received_at"] = [RECEIVED_AT_FUTURE]
        return problems
    today = timezone.localtime(now).date()
    months = rules.int_parameter(limitation_parameter(kind), today)
    earliest = months_before(today, months)
    if timezone.localtime(received_at).date() < earliest:
        message = RECEIVED_AT_TOO_OLD.format(
            earliest=earliest.isoformat(), kind=KIND_LABELS.get(kind, kind), months=months
        )
        problems["received_at"] = [message]
        return problems
    tolerance = rules.int_parameter("backdate_tolerance_days", today)
    days = backdated_days(received_at, now)
    if days > tolerance and not (backdate_reason or "").strip():
        problems["backdate_reason"] = [
            BACKDATE_REASON_REQUIRED.format(days=days, tolerance=tolerance)
        ]
    return problems
