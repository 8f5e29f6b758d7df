"""Days as moments: where a local calendar day begins.

Filters by day ("received from 1 May to 31 May", "sent today", "the notice is over at
the start of the day after its last day") compare stored timestamps with the first
moment of a day in the project's time zone (Asia/Shanghai), never with a UTC date.
"""

import datetime as dt

from django.utils import timezone


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the current time zone (aware)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
