"""Reads of the shared kernel's data that other apps make: townships and employers.

The per-process cache of reference tables lives above core; it plugs itself in with
`cache_with` at start-up (cases.apps), so core imports no app above it.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.models import Employer, Township


def _read_through(key: str, load: Callable) -> Any:
    return load()


_remember: Callable = _read_through


def cache_with(remember: Callable) -> None:
    """Keep what `remember(key, load)` keeps (one process, one version of the tables)."""
    global _remember
    _remember = remember


def townships_by_code() -> dict[str, Township]:
    """Every township by its code (shared by the whole process: treat as read-only)."""
    return _remember("townships", lambda: {t.code: t for t in Township.objects.all()})


def employer_by_uscc(uscc: str) -> Employer | None:
    if not uscc:
        return None
    return Employer.objects.filter(uscc=uscc.upper()).first()


def blacklisted_until(employer_id: int | None, on: dt.date | None = None) -> dt.date | None:
    """The last day the employer is on the wage-arrears blacklist, if it is on `on`."""
    if employer_id is None:
        return None
    on = on or timezone.localdate()
    return (
        Employer.objects.filter(pk=employer_id, blacklisted_until__gte=on)
        .values_list("blacklisted_until", flat=True)
        .first()
    )


def blacklisted_employers(on: dt.date | None = None) -> QuerySet:
    """Employers on the blacklist on `on` (today by default)."""
    return Employer.objects.filter(blacklisted_until__gte=on or timezone.localdate())
