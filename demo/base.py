"""What the jobs of one demo run share."""

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from cases import reference

SEED = 2024

FIRST, SECOND = reference.TOWNSHIPS[0][0], reference.TOWNSHIPS[1][0]  # xincheng, zhaokang


@dataclass
class Demo:
    """One run: the command's output and options, the random source, what jobs made."""

    stdout: Any
    stderr: Any
    password: str = ""
    password_generated: bool = False
    cases: int = 300
    url: str = "http://127.0.0.1:8000"
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    today: dt.date = field(default_factory=timezone.localdate)
    users: dict[str, Any] = field(default_factory=dict)  # username: user (staff.py)
    employers: list[Any] = field(default_factory=list)  # employers.py
    projects: dict[int, list[str]] = field(default_factory=dict)  # employer pk: projects
    id_numbers: set[str] = field(default_factory=set)  # given out so far (people.py)
