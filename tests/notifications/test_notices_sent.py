"""Each step of a dispute case sends its notice to the right party, once."""

from notifications import notices
from notifications.models import Notice, SmsMessage
from tests.notifications.notice_support import act, arbitration_staff, dispute_case, hearing_data


def test_it_tells_the_worker_the_case_was_accepted(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()

    act(django_capture_on_commit_callbacks, case, people, "accept")

    notice = Notice.objects.get(case=case)
    assert (notice.event, notice.recipient, notice.status) == ("accepted", "worker", "recorded")
    assert case.number in notice.text and "/s/" in notice.text
    assert notice.sms.purpose == "notice:accepted"


def test_it_sends_the_hearing_notice_to_both_parties_with_time_and_venue(
    db, django_capture_on_commit_callbacks
):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "refer_to_hearing")

    act(
        django_capture_on_commit_callbacks,
        case,
        people,
        "schedule_hearing",
        hearing_data(
            hearing_time="14:30", hearing_venue="第二仲裁庭", hearing_link="https://meet.example/1"
        ),
    )

    sent = Notice.objects.filter(case=case, event="hearing_notice")
    assert sorted(sent.values_list("recipient", flat=True)) == ["employer", "worker"]
    for notice in sent:
        assert "14:30" in notice.text and "第二仲裁庭" in notice.text
        assert "https://meet.example/1" in notice.text


def test_it_sends_each_step_once_however_often_it_is_planned(
    db, django_capture_on_commit_callbacks
):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    event = case.events.get(transition="accept")

    notices.event_notices_run(event_id=event.pk)
    notices.notices_sweep()

    assert Notice.objects.filter(case=case).count() == 1
    assert (
        SmsMessage.objects.filter(case_number=case.number, purpose="notice:accepted").count() == 1
    )


def test_it_plans_an_event_the_request_missed(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    Notice.objects.all().delete()
    from notifications.models import NoticePlanned

    NoticePlanned.objects.all().delete()
    import datetime as dt

    from django.utils import timezone

    notices.notices_sweep(now=timezone.now() + dt.timedelta(minutes=1))

    assert Notice.objects.filter(case=case, event="accepted").count() == 1


def test_it_re_notifies_a_postponed_hearing(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "refer_to_hearing")
    act(django_capture_on_commit_callbacks, case, people, "schedule_hearing", hearing_data(days=10))

    act(
        django_capture_on_commit_callbacks,
        case,
        people,
        "postpone_hearing",
        hearing_data(days=20, note="被申请人申请延期"),
    )

    postponed = Notice.objects.filter(case=case, event="hearing_postponed")
    assert sorted(postponed.values_list("recipient", flat=True)) == ["employer", "worker"]
    case.refresh_from_db()
    assert case.hearing_venue  # kept from the first notice


def test_it_notifies_a_collective_case_through_its_representatives(
    db, django_capture_on_commit_callbacks
):
    from cases import filing
    from tests.factories import claimant

    people = arbitration_staff()
    workers = [claimant(i, representative=i < 3) for i in range(12)]
    case = filing.complaint_file(
        kind="labor_dispute",
        employer_name="襄汾县测试建筑有限公司",
        township=__import__("cases.models").models.Township.objects.get(code="xincheng"),
        claimants=workers,
        description="拖欠工资",
    ).case

    act(django_capture_on_commit_callbacks, case, people, "accept")

    assert Notice.objects.filter(case=case).count() == 3


def test_it_schedules_from_the_workbench_form_with_the_time_left_empty(
    client, db, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from cases.models import Case

    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "refer_to_hearing")
    client.force_login(people["arbitrator"])
    version = Case.objects.get(pk=case.pk).version
    day = timezone.localdate() + dt.timedelta(days=8)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/workbench/cases/{case.number}/run/schedule_hearing/",
            {
                "version": version,
                "hearing_date": day.isoformat(),
                "hearing_time": "",
                "hearing_venue": "",
                "hearing_link": "",
                "note": "",
            },
        )

    case = Case.objects.get(pk=case.pk)
    assert case.hearing_date == day and case.hearing_time == dt.time(9, 0) and case.hearing_venue
