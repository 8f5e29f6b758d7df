"""Check every case's event hash chain; name the first broken link of each broken one.

Exit status 0 when every chain holds, 1 (CommandError) when any is broken, so cron or
monitoring can alert on it.
"""

from django.core.management.base import BaseCommand, CommandError

from cases import audit
from cases.models import CaseEvent


class Command(BaseCommand):
    help = "Verify the tamper-evident hash chain of case events."

    def add_arguments(self, parser):
        parser.add_argument("--case", help="only this case number")

    def handle(self, *args, **options):
        events = CaseEvent.objects.all()
        if options["case"]:
            events = events.filter(case__number=options["case"])
        breaks = audit.chain_verify(events)
        checked = events.count()
        if not breaks:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} events"))
            return
        for item in breaks:
            self.stderr.write(f"BROKEN {item}")
        raise CommandError(f"{len(breaks)} broken chain(s) among {checked} events")
