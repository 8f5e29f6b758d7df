"""What every block of the settings reads: the project directory, DEBUG, the time zone
and the environment readers."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Every day the system counts (deadlines, statistics, schedules) is a day in this zone.
TIME_ZONE = "Asia/Shanghai"
