"""Demo data: staff users, Xiangfen employers and a few hundred cases in every state.

    python manage.py seed_demo [--password P] [--cases N] [--url URL]

Runs the jobs of demo/ in order (JOBS). Employers and people are fictional; their
identifiers carry valid check digits. Safe to run again: users get the password again,
nothing is duplicated, and cases are created only when there are no demo cases yet.

It prints a progress bar on stderr (on a terminal) and a short summary: the demo users,
the password, the addresses to open and a case a worker can look up.
"""

import secrets
import time

from django.core.management.base import BaseCommand

from cases.management.progress import quiet_logging
from demo import cases, employers, employment, enforcement, staff, summary
from demo.base import Demo
from rules.memo import request_memo

# The jobs, in order: each a module of demo/ with run(demo). A new job is one module
# there and one line here.
JOBS = [
    staff,
    employers,
    cases,
    employment,
    enforcement,
    summary,
]


class Command(BaseCommand):
    help = "Create demo users, employers and cases in every state (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for every demo user (default: random)")
        parser.add_argument("--cases", type=int, default=300, help="number of demo cases (300)")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="where the server will answer, for the summary (http://127.0.0.1:8000)",
        )

    def handle(self, *args, password=None, cases=300, url="http://127.0.0.1:8000", **options):
        started = time.monotonic()
        demo = Demo(
            stdout=self.stdout,
            stderr=self.stderr,
            password=password or secrets.token_urlsafe(9),
            password_generated=password is None,
            cases=cases,
            url=url,
        )
        # Hundreds of filings and scorings: each rule table is read once (rules.memo).
        with request_memo(), quiet_logging():
            for job in JOBS:
                job.run(demo)
        self.stdout.write(f"用时 Took {time.monotonic() - started:.1f}s")
