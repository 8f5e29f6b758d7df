from django.core.management.base import BaseCommand

from notifications import notices
from rules.memo import request_memo


class Command(BaseCommand):
    help = "发送待发通知、重试失败短信、查询回执；--reminders 发送明日开庭提醒（与定时任务相同）。"

    def add_arguments(self, parser):
        parser.add_argument("--reminders", action="store_true", help="发送明日开庭的提醒")

    def handle(self, *args, reminders=False, **options):
        with request_memo():
            if reminders:
                self.stdout.write(f"reminded: {notices.hearing_reminders_send()}")
            self.stdout.write(str(notices.notices_sweep()))
