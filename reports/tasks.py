from celery import shared_task

from reports import services


@shared_task
def monthly_report_previous_month() -> str:
    report = services.previous_month_report_generate()
    return str(report) if report else "already generated"
