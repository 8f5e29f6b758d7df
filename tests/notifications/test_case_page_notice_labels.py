"""The staff case page names each notice's step in words, not by its code."""

from tests.notifications.notice_support import act, arbitration_staff, dispute_case


def test_it_names_the_steps_of_the_notices_on_the_case_page(
    client, db, django_capture_on_commit_callbacks
):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "start_mediation", role="mediator")
    client.force_login(people["arbitrator"])

    page = client.get(f"/workbench/cases/{case.number}/").content.decode()

    panel = page[page.index("data-notices-panel") :]
    assert "<td>受理</td>" in panel and "<td>调解</td>" in panel
    assert "<td>accepted</td>" not in panel and "mediation_session" not in panel
