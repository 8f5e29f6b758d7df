"""Fill conclusion_due, handled_on and closed_on for cases that existed before those
fields (docs/statistics.md): from each case's history and clock fields."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases import clocks, milestones
from cases.models import FINAL_STATES, Case
from rules.calendar import working_calendar

BATCH = 500


def _replayed(case, calendar) -> None:
    handled = closed = None
    for event in case.events.all():
        day = timezone.localtime(event.created_at).date()
        state = event.to_state
        if state in milestones.HANDLING[case.kind]:
            handled = None
        elif state in milestones.DECIDED[case.kind] and handled is None:
            handled = day
        closed = (closed or day) if state in FINAL_STATES else None
    case.handled_on = handled if case.accepted_on else None
    case.closed_on = closed
    try:
        case.conclusion_due = milestones.handling_due(case, calendar) if case.accepted_on else None
    except clocks.RuleMissing:
        case.conclusion_due = None


class Command(BaseCommand):
    help = "Set the statistics dates of every case from its history (run once after upgrading)."

    def handle(self, *args, **options):
        calendar = working_calendar()
        done = 0
        ids = list(Case.objects.order_by("id").values_list("id", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = Case.objects.filter(id__in=ids[start : start + BATCH]).prefetch_related(
                "events"
            )
            cases = list(batch)
            for case in cases:
                _replayed(case, calendar)
            with transaction.atomic():
                Case.objects.bulk_update(cases, ["conclusion_due", "handled_on", "closed_on"])
            done += len(cases)
        self.stdout.write(f"{done} 件案件的统计日期已更新。")
