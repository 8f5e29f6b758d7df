"""The shapes of the ledger's progress figures, shared by the selectors (which compute
them from the rows) and the screen's tallies (employment.screen_tally)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from employment.models import Target

HUNDRED = Decimal(100)


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class Progress:
    township_id: int | None = None
    laid_off: int = 0
    reemployed: int = 0
    urban_new: int = 0
    rural_transfer: int = 0

    @property
    def rate(self) -> Decimal | None:
        return percent(self.reemployed, self.laid_off)


@dataclass
class ProgressReport:
    year: int
    end: dt.date
    target: Target | None
    county: Progress
    townships: dict[int, Progress] = field(default_factory=dict)
    plants: dict[int, Progress] = field(default_factory=dict)
