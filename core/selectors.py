"""Reads of the shared kernel's data that other apps make.

The per-process cache of reference tables lives above core; it plugs itself in with
`cache_with` at start-up (cases.apps), so core imports no app above it.
"""

from collections.abc import Callable

from core.models import Township


def _read_through(key: str, load: Callable):
    return load()


_remember: Callable = _read_through


def cache_with(remember: Callable) -> None:
    """Keep what `remember(key, load)` keeps (one process, one version of the tables)."""
    global _remember
    _remember = remember


def townships_by_code() -> dict[str, Township]:
    """Every township by its code (shared by the whole process: treat as read-only)."""
    return _remember("townships", lambda: {t.code: t for t in Township.objects.all()})
