from celery import shared_task

from enforcement import services


@shared_task
def blacklist_expire() -> int:
    """Daily: listed entries whose period has passed leave the list."""
    return services.blacklist_expire_due()
