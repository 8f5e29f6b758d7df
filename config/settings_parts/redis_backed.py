"""What Redis carries when REDIS_URL is set: the channel layer of the live alerts, the
Celery broker and its schedule, the cache the throttles count in. Without it, their
in-process stand-ins (in-memory layer, tasks run at once, local-memory cache)."""

import os
from pathlib import Path

from celery.schedules import crontab

from config.settings_parts.base import TIME_ZONE
from config.settings_parts.database import DATABASES

# Channels: in-memory layer by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")


def channel_prefix(database_name: str, redis_url: str) -> str:
    """The default prefix of the channel layer's names for one deployment.

    Redis publish/subscribe ignores the database number: a subscriber connected to
    another DB number of the same server hears every channel. The database name and
    the Redis DB number tell deployments that share a Redis server apart; set
    LABORCASE_CHANNEL_PREFIX to choose it.
    """
    import re
    from urllib.parse import urlsplit

    db_number = urlsplit(redis_url).path.strip("/") or "0"
    name = Path(str(database_name)).name or "laborcase"
    name = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40]
    return f"laborcase.{name}.{db_number}"


LABORCASE_CHANNEL_PREFIX = os.environ.get("LABORCASE_CHANNEL_PREFIX", "") or channel_prefix(
    DATABASES["default"].get("NAME", ""), REDIS_URL
)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Redis publish/subscribe, chosen by measurement (docs/performance.md): one
            # PUBLISH per group and one message per server process, fanned out there,
            # against several round trips and a per-socket receive in RedisChannelLayer
            # (the 1,000-socket broadcast faster in every run, the alert p99 lower under
            # load, about even on an idle machine). What it does
            # not keep, a message sent while a server's subscription is down, the
            # outbox gives back: alerts are rows first, and clients resume after their
            # last id. After a Redis restart it subscribes again by itself, where the
            # other layer's groups, kept in Redis, are gone until the sockets reconnect.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # An explicit socket_timeout above channels-redis's 5 s blocking read, so
            # an idle connection is never cut by a client-side timeout (redis-py 8
            # defaults to 5 s); tests/notifications/test_idle_channel_layer.py.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 30,
                        "socket_connect_timeout": 3,
                        "health_check_interval": 15,
                    }
                ],
                "prefix": LABORCASE_CHANNEL_PREFIX,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# An open /ws/alerts/ socket checks its session or token again this often (and when its
# session would expire); sign-out and user changes close it at once (notifications.handlers).
LABORCASE_WS_RECHECK_SECONDS = float(os.environ.get("LABORCASE_WS_RECHECK_SECONDS", 60))

# Celery: Redis as broker when configured; otherwise tasks run in-process at once.
CELERY_BROKER_URL = REDIS_URL or "memory://"
# kombu's Redis transport, with a kept client for publishing (config/broker.py).
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL else None
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A request hands work to the worker (notifications.tasks.enqueue) and must not hang on a
# Redis that is down or stuck: one quick retry, then the request does the work itself.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 3, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# No task is lost with a worker: a task is acknowledged only once it has run, and one
# whose worker died is given back to the queue. What the queue itself loses (Redis
# restarted without its append-only file) the PendingFollowup sweep redoes.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A new complaint's follow-up still pending this long after the filing is redone by the
# sweep (notifications.followup.followups_sweep, every minute).
LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS = int(
    os.environ.get("LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS", 120)
)
CELERY_TIMEZONE = TIME_ZONE
# Alerts: deadline warnings and escalations every minute (cheap: near deadlines only),
# every open case re-scored nightly for the factors that move with the calendar.
# Without a broker: `python manage.py scan_alerts [--full]` from cron does the same.
CELERY_BEAT_SCHEDULE = {
    "alerts-scan": {"task": "notifications.tasks.alerts_scan", "schedule": 60.0},
    "followups-sweep": {"task": "notifications.tasks.followups_sweep", "schedule": 60.0},
    "risk-rescan-nightly": {
        "task": "notifications.tasks.risk_rescan",
        "schedule": crontab(hour=0, minute=5),
    },
    "subsidy-notices": {"task": "workflows.tasks.subsidy_notices_close", "schedule": 300.0},
    "idempotency-purge": {"task": "cases.tasks.idempotency_purge", "schedule": 3600.0},
    # Last month's statistics, kept as reported (reports/services.py).
    "monthly-report": {
        "task": "reports.tasks.monthly_report_previous_month",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    # The county's statistics of this month and the last kept up to date, and kept
    # statistics older than a month dropped (reports/kept.py).
    "kept-statistics-refresh": {
        "task": "reports.tasks.kept_statistics_refresh",
        "schedule": 300.0,
    },
    "kept-statistics-forget": {
        "task": "reports.tasks.kept_statistics_forget",
        "schedule": crontab(hour=2, minute=30),
    },
    # notifications/notices.py: notices planned and sent, SMS retried, receipts polled.
    "notices-sweep": {"task": "notifications.tasks_notices.notices_sweep", "schedule": 60.0},
    # Blacklist entries whose 3 years have passed leave the list (enforcement/services.py).
    "blacklist-expire": {
        "task": "enforcement.tasks.blacklist_expire",
        "schedule": crontab(hour=0, minute=15),
    },
    # The day-before reminders of hearings, every evening at 18:00.
    "hearing-reminders": {
        "task": "notifications.tasks_notices.hearing_reminders",
        "schedule": crontab(hour=18, minute=0),
    },
}

# The throttles count in the cache; a real deployment shares it through Redis.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
