from django.core.management.base import BaseCommand, CommandError

from cases import errors
from reports import services


class Command(BaseCommand):
    help = "Generate a month's statistics report (default: last month), as on the 1st."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: last month)")

    def handle(self, *args, month=None, **options):
        try:
            if month:
                year, number = (int(part) for part in month.split("-"))
                report = services.monthly_report_generate(year=year, month=number)
            else:
                report = services.previous_month_report_generate()
        except ValueError as error:
            raise CommandError("--month 应为 YYYY-MM，如 2026-11。") from error
        except errors.DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{report} 月报已生成。" if report else "上月月报此前已生成。")
