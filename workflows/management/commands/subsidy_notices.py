"""End the public notices whose working days have passed (what Celery beat runs)."""

from django.core.management.base import BaseCommand

from workflows import services


class Command(BaseCommand):
    help = "结束已满公示期的补贴申请公示，转主管领导审批（可由 cron 定时运行）。"

    def handle(self, **options):
        closed = services.notices_close_due()
        self.stdout.write(f"{closed} 件公示期满，已转主管领导审批。")
