"""The whole ledger's 1+3+1 figures per township, in one pass (the command screen).

The screen used to count the items four times (per township, then the county's items,
the people owed, the people served in full), each a pass over every item: at 100,000
people, half a million items, that was most of the screen's time (docs/performance.md).
Here each person's items are tallied once, in entry order from the
`service_entry_progress` index alone, and the people's tallies are summed per township;
the county's figures are the townships' sums. The figures are the ones
selectors.services_summary gives for the whole ledger.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection

# CASE rather than FILTER, so that SQLite (the embedded default) runs it too.
SQL = """
SELECT e.township_id,
       SUM(s.total), SUM(s.done), SUM(s.overdue),
       SUM(CASE WHEN s.overdue > 0 THEN 1 ELSE 0 END),
       COUNT(*),
       SUM(CASE WHEN s.done = s.total THEN 1 ELSE 0 END)
FROM (
    SELECT entry_id, COUNT(*) AS total, COUNT(done_on) AS done,
           SUM(CASE WHEN done_on IS NULL AND due_on < %s THEN 1 ELSE 0 END) AS overdue
    FROM employment_serviceitem
    GROUP BY entry_id
) s
JOIN employment_ledgerentry e ON e.id = s.entry_id
GROUP BY e.township_id
"""


@dataclass
class ServiceCounts:
    items_total: int = 0
    items_done: int = 0
    items_overdue: int = 0
    people_overdue: int = 0
    people_owed: int = 0  # people with 1+3+1 items
    people_complete: int = 0  # of them, every item done

    def add(self, other: "ServiceCounts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def service_counts_by_township(today: dt.date) -> tuple[dict[int, ServiceCounts], ServiceCounts]:
    """Each township's counts (townships without items are absent) and the county's."""
    townships: dict[int, ServiceCounts] = {}
    county = ServiceCounts()
    with connection.cursor() as cursor:
        cursor.execute(SQL, [today])
        for township_id, *values in cursor.fetchall():
            counts = ServiceCounts(*(int(v or 0) for v in values))
            townships[township_id] = counts
            county.add(counts)
    return townships, county
