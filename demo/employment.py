"""The re-employment ledger's demo data (employment/demo.py): villages, stewards and
township stations, two closed plants with rosters, a few hundred people, postings,
referrals, targets and overdue 1+3+1 items."""

from demo.base import Demo
from employment.demo import seed_employment_demo


def run(demo: Demo) -> None:
    # The demo users' password, hashed once by demo/staff.py (a hash takes ~0.3 s).
    seed_employment_demo(password_hash=demo.users["admin"].password, stdout=demo.stdout)
