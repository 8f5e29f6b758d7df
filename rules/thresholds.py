"""Thresholds the law sets on amounts, read from the legal parameter table.

Criminal Law art.276-1 (拒不支付劳动报酬罪) as interpreted by 法释〔2013〕3号 art.3: the
refusal to pay is a suspected crime when one worker is owed at least
`crime_single_months` months' pay of at least `crime_single_amount` yuan, or at least
`crime_collective_workers` workers are owed at least `crime_collective_amount` yuan in
total (Shanxi's figures inside the bands are [CONFIG]).

"Owed" is what is still OUTSTANDING: claimed minus recovered, never below zero. What
was paid back no longer counts, and a worker who has been paid in full is not one of
the workers owed. Both the transfer to the police (cases.lifecycle) and the risk score
(notifications.risk) ask this one function.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from rules.parameters import int_parameter, parameter

ZERO = Decimal("0")


class WorkerClaim(NamedTuple):
    months_owed: int | None
    amount_claimed: Decimal
    amount_recovered: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_claimed - (self.amount_recovered or ZERO), ZERO)


def wage_refusal_threshold_met(claims: Iterable[WorkerClaim], on: dt.date) -> bool:
    """Whether what the workers are still owed reaches the 276-1 threshold on the day.

    Raises rules.parameters.ParameterMissing when a figure is not set for the day.
    """
    claims = list(claims)
    single_months = int_parameter("crime_single_months", on)
    single_amount = parameter("crime_single_amount", on)
    for claim in claims:
        if (claim.months_owed or 0) >= single_months and claim.outstanding >= single_amount:
            return True
    owed = [claim.outstanding for claim in claims if claim.outstanding > 0]
    return len(owed) >= int_parameter("crime_collective_workers", on) and sum(
        owed, ZERO
    ) >= parameter("crime_collective_amount", on)
