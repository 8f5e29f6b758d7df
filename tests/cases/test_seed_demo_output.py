"""seed_demo for a newcomer: one scoring per case, a progress bar, a short summary."""

import logging
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command

from cases.models import Case
from core import query_codes
from demo import enforcement as demo_enforcement
from demo import staff as seed_demo_staff
from notifications import services as notification_services
from notifications.models import RiskScore

pytestmark = pytest.mark.django_db

CASES = 24


class Terminal(StringIO):
    def isatty(self):
        return True


def seed(**streams):
    out = StringIO()
    call_command(
        "seed_demo", "--password", "demo-pass-2024", "--cases", str(CASES), stdout=out, **streams
    )
    return out.getvalue()


@pytest.fixture
def committed(transactional_db, reference_data):
    """Real commits, so the after-commit follow-ups run as in `make run`; the rule rows
    a flush before this test removed are loaded again (reference_data)."""


def test_it_scores_each_demo_case_once_when_all_exist(committed, monkeypatch):
    calls = []
    refresh = notification_services.case_risk_refresh

    def counting(**kwargs):
        calls.append(kwargs["case_id"])
        return refresh(**kwargs)

    monkeypatch.setattr(notification_services, "case_risk_refresh", counting)
    seed()

    demo = set(Case.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert len(demo) == CASES + len(demo_enforcement.EMPLOYERS)  # and the blacklist's
    assert sorted(calls) == sorted(demo)  # not once per step (~5 per case)
    assert set(RiskScore.objects.values_list("case_id", flat=True)) == demo


def test_it_ends_with_a_short_summary_and_no_log_lines(caplog):
    caplog.set_level(logging.INFO)
    output = seed()

    assert len(output.splitlines()) < 35
    assert "demo-pass-2024" in output
    assert "http://127.0.0.1:8000/accounts/login/" in output
    for username in ("inspector1", "supervisor", "township1", "screen", "admin"):
        assert username in output
    # a case a worker can look up, with its real code
    found = re.search(r"/status/\?case_number=(XF-\d{4}-\d{6})\s+查询码 query code (\w+)", output)
    assert found, output
    stored = Case.objects.get(number=found[1]).query_code_hash
    assert query_codes.query_code_matches(stored, found[2])
    chatty = [r for r in caplog.records if r.name.startswith(("cases", "notifications"))]
    assert chatty == []


def test_it_uses_the_address_it_is_given_and_hashes_the_password_once(monkeypatch):
    hashed = []
    monkeypatch.setattr(
        seed_demo_staff, "make_password", lambda p: hashed.append(p) or make_password(p)
    )
    output = StringIO()
    call_command(
        "seed_demo", "--cases", str(CASES), "--url", "http://192.168.1.20:8080/", stdout=output
    )
    assert "http://192.168.1.20:8080/accounts/login/" in output.getvalue()
    assert len(hashed) == 1  # not once per demo user (~0.3 s each)
    assert len(set(get_user_model().objects.values_list("password", flat=True))) == 1


def test_it_draws_a_progress_bar_on_a_terminal_only():
    terminal = Terminal()
    seed(stderr=terminal)
    assert f"[{'#' * 30}] {CASES:>4}/{CASES}" in terminal.getvalue()

    # run again (nothing to create) into a file: no bar
    piped = StringIO()
    seed(stderr=piped)
    assert piped.getvalue() == ""
