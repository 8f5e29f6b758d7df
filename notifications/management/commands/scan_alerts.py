"""The periodic alert scan without a broker (cron: every minute; --full once a night),
and the sweep of new complaints' follow-ups that were never done."""

from django.core.management.base import BaseCommand

from notifications import followup, scans


class Command(BaseCommand):
    help = "临近/超过法定期限预警、红色预警超时上报；--full 时重新评估全部在办案件的风险。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="重新评估全部在办案件（每晚一次）")

    def handle(self, *args, full=False, **options):
        report = scans.alerts_scan(full=full)
        self.stdout.write(str(report))
        # New complaints whose follow-up (score, SMS) was lost: as Celery beat's sweep.
        redone = followup.followups_sweep()
        if redone:
            self.stdout.write(f"redid {redone} pending follow-ups")
