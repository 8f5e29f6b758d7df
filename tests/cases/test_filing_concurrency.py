"""Filings racing each other on PostgreSQL: nothing fails, nothing is doubled.

Each test forces the interleaving it is about (one filing holds its lock until the other
is seen waiting for it in pg_stat_activity), so it fails every time the code is wrong.
"""

import threading
import time

import pytest
from django.db import connection

from cases import filing
from cases.models import Case
from core.models import Employer, Township
from notifications import followup
from notifications.models import SmsMessage
from tests.factories import claimant, file_case

USCC = "91141023MA0K0000X1"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    # Transactional tests empty the tables when they end: load the rule rows again.
    pytest.mark.usefixtures("reference_data"),
]


def wait_until_a_query_waits_for_a_lock(timeout=10.0):
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second filing never waited for the first one's lock")


def in_thread(target, outcomes, name=None):
    def run():
        try:
            outcomes.append(target())
        except Exception as error:  # reported by the assertions, not lost in the thread
            outcomes.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_it_files_two_complaints_that_give_a_known_employer_its_uscc_at_once(monkeypatch):
    """Known by name only; both complaints now give its USCC. The second waited for the
    first one's lock on that employer, which by then had the USCC, not uscc=''."""
    file_case(employer="襄汾县同名建筑有限公司", claimants=[claimant(0)])
    first_is_holding, first_may_commit, save = threading.Event(), threading.Event(), Employer.save

    def save_then_hold(self, *args, **kwargs):
        save(self, *args, **kwargs)
        if threading.current_thread().name == "first":
            first_is_holding.set()
            first_may_commit.wait(10)

    monkeypatch.setattr(Employer, "save", save_then_hold)

    def file_with_uscc(index):
        return filing.complaint_file(
            kind="wage_arrears",
            employer_name="襄汾县同名建筑有限公司",
            employer_uscc=USCC,
            township=Township.objects.get(code="xincheng"),
            claimants=[claimant(index)],
            description="拖欠工资三个月",
        )

    outcomes = []
    first = in_thread(lambda: file_with_uscc(1), outcomes, name="first")
    assert first_is_holding.wait(10), outcomes  # employer locked, USCC set, not committed
    second = in_thread(lambda: file_with_uscc(2), outcomes)
    wait_until_a_query_waits_for_a_lock()
    first_may_commit.set()
    first.join()
    second.join()

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Employer.objects.filter(normalized_name__contains="同名").count() == 1
    assert Employer.objects.get(uscc=USCC)


def test_it_texts_the_workers_once_when_the_worker_and_the_request_both_follow_up(
    monkeypatch,
):
    """A publish that timed out after Redis had the task: the worker runs it and the
    request runs it too (notifications.tasks.enqueue), at the same moment."""
    case = file_case(claimants=[claimant(0), claimant(1)])
    SmsMessage.objects.all().delete()  # sent when the filing committed; the race is next
    both_checked = threading.Barrier(2)
    recipients = followup.sms_recipients

    def recipients_once_both_checked(claims):
        try:
            both_checked.wait(timeout=2)  # only if both got past the check at once
        except threading.BrokenBarrierError:
            pass
        return recipients(claims)

    monkeypatch.setattr(followup, "sms_recipients", recipients_once_both_checked)
    outcomes = []
    runs = [in_thread(lambda: followup.confirmation_send(case_id=case.pk), outcomes) for _ in "ab"]
    for run in runs:
        run.join()

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == [0, 2]
    assert SmsMessage.objects.filter(case_number=case.number).count() == 2


def test_it_announces_the_committed_number_not_the_provisional_one():
    from cases.signals import case_changed, complaint_filed

    announced = []

    def listen(sender, case_number, **kwargs):
        announced.append(case_number)

    case_changed.connect(listen, dispatch_uid="test-number")
    complaint_filed.connect(listen, dispatch_uid="test-number-filed")
    try:
        case = file_case()
    finally:
        case_changed.disconnect(dispatch_uid="test-number")
        complaint_filed.disconnect(dispatch_uid="test-number-filed")

    assert case.number.startswith("XF-")
    assert announced == [case.number, case.number]
    assert Case.objects.filter(number__startswith="~").count() == 0


def file_identical(name="襄汾县新开张建筑有限公司"):
    """A worker's complaint against an employer nobody has named yet, without a USCC."""
    return filing.complaint_file(
        kind="wage_arrears",
        employer_name=name,
        township=Township.objects.get(code="xincheng"),
        claimants=[claimant(3)],
        description="拖欠工资三个月",
    )


def test_it_makes_the_second_of_two_identical_complaints_wait_for_the_new_employer(
    monkeypatch,
):
    """No employer row exists to lock: the first filing has created one and not yet
    committed. The second must wait (for the lock on the employer's name), then find
    the first one's employer and case, instead of creating both again."""
    first_is_holding, first_may_commit, save = threading.Event(), threading.Event(), Employer.save

    def save_then_hold(self, *args, **kwargs):
        save(self, *args, **kwargs)
        if threading.current_thread().name == "first":
            first_is_holding.set()
            first_may_commit.wait(10)

    monkeypatch.setattr(Employer, "save", save_then_hold)
    outcomes = []
    first = in_thread(file_identical, outcomes, name="first")
    assert first_is_holding.wait(10), outcomes
    second = in_thread(file_identical, outcomes)
    try:
        wait_until_a_query_waits_for_a_lock()
    finally:
        first_may_commit.set()
        first.join()
        second.join()

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Employer.objects.count() == 1
    assert Case.objects.count() == 1
    assert sorted(o.created for o in outcomes) == [False, True]


def test_it_files_twenty_identical_complaints_at_once_as_one_case_and_one_employer():
    """A double-clicked form, twenty times over: one case, one employer; the others are
    duplicates of it."""
    start = threading.Barrier(20, timeout=30)

    def file_at_once():
        start.wait()
        return file_identical("襄汾县同时投诉建筑有限公司")

    outcomes = []
    threads = [in_thread(file_at_once, outcomes) for _ in range(20)]
    for thread in threads:
        thread.join()

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Employer.objects.filter(normalized_name__contains="同时投诉").count() == 1
    assert Case.objects.count() == 1
    assert sum(o.created for o in outcomes) == 1
