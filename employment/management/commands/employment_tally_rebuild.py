"""Recompute the command screen's employment tallies from the ledger's rows."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from employment import screen_tally, selectors


class Command(BaseCommand):
    help = "从就业台账重新计算指挥屏的就业统计（批量导入后使用）；--check 只核对不重算。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="只核对：按台账逐行重算的数字与统计表给出的数字不一致时报错。",
        )

    def handle(self, *args, check=False, **options):
        today = timezone.localdate()
        if not check:
            entries = screen_tally.rebuild(today)
            self.stdout.write(f"employment tallies rebuilt: {entries} ledger entries")
        from_rows = selectors.screen_summary_rows(today)
        from_tallies = selectors._screen_summary(today)
        if from_rows != from_tallies:
            raise CommandError(
                "指挥屏就业统计与台账逐行重算的结果不一致，请不带 --check 重新计算。"
            )
        self.stdout.write("employment tallies match the ledger")
