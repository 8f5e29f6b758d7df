"""Every party is reminded the day before the hearing, once per hearing date."""

import datetime as dt

from django.core.management import call_command

from cases.models import Case
from notifications import notices
from notifications.models import Notice
from tests.notifications.notice_support import act, arbitration_staff, dispute_case, hearing_data


def test_it_reminds_both_parties_the_day_before_once(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "refer_to_hearing")
    act(django_capture_on_commit_callbacks, case, people, "schedule_hearing", hearing_data(days=6))
    hearing = Case.objects.get(pk=case.pk).hearing_date

    assert notices.hearing_reminders_send(today=hearing - dt.timedelta(days=2)) == 0
    assert notices.hearing_reminders_send(today=hearing - dt.timedelta(days=1)) == 2
    assert notices.hearing_reminders_send(today=hearing - dt.timedelta(days=1)) == 0

    reminders = Notice.objects.filter(case=case, event="hearing_reminder")
    assert sorted(reminders.values_list("recipient", flat=True)) == ["employer", "worker"]
    assert all("明天" in n.text for n in reminders)


def test_the_command_runs_the_same_job(db, capsys):
    call_command("notices_run", "--reminders")

    assert "reminded: 0" in capsys.readouterr().out
