"""Move the blacklist entries whose listing period has passed to "expired" (the Celery
beat does it every night; this is the same without a broker, e.g. from cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from enforcement import services


class Command(BaseCommand):
    help = "将列入期满的失信联合惩戒名单记录移出（期满移出）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按该日期判断（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from error
        expired = services.blacklist_expire_due(today=today)
        self.stdout.write(f"期满移出 {expired} 条。")
