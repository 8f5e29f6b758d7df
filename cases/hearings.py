"""The hearing notice's particulars: date (checked by the lifecycle), time, room or
address, and an optional online meeting link.

schedule_hearing and postpone_hearing call hearing_details_apply after they set the
date; the notices themselves (and the reminders the day before) are sent by the
notifications app, which reads these fields after commit.
"""

import datetime as dt

from django.conf import settings

# Without a time given, a hearing opens at 09:00 (the tribunal's usual morning session).
DEFAULT_TIME = dt.time(9, 0)


def default_venue() -> str:
    return (
        getattr(settings, "LABORCASE_HEARING_DEFAULT_VENUE", "") or "襄汾县劳动人事争议仲裁院仲裁庭"
    )


def hearing_details_apply(ctx) -> None:
    """Copy time, venue and link from the transition's input onto the case (a
    postponement without a new room keeps the old one)."""
    case, data = ctx.case, ctx.data
    case.hearing_time = data.get("hearing_time") or case.hearing_time or DEFAULT_TIME
    venue = (data.get("hearing_venue") or "").strip()
    case.hearing_venue = venue or case.hearing_venue or default_venue()
    if "hearing_link" in data:
        case.hearing_link = (data.get("hearing_link") or "").strip()
    # The event records what the notice says, so a notice sent later says the same.
    data["hearing_time"] = case.hearing_time.strftime("%H:%M")
    data["hearing_venue"] = case.hearing_venue
    data["hearing_link"] = case.hearing_link
