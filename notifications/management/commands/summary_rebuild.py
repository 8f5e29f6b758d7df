"""Recompute the command screen's counters from the rows (after a bulk load)."""

from django.core.management.base import BaseCommand

from notifications import tally


class Command(BaseCommand):
    help = "从案件、请求人、事件和预警数据重新计算指挥屏统计计数（批量导入后使用）。"

    def handle(self, *args, **options):
        tally.rebuild()
        self.stdout.write(
            "summary counters rebuilt" if tally.enabled() else "SQLite: nothing to do"
        )
