"""Two inspectors clicking at once: exactly one transition wins, the rest get 409."""

import threading

import pytest
from django.db import connection

from cases import errors, services
from cases.models import CaseEvent
from tests.factories import file_case, staff

ATTEMPTS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_twenty_concurrent_accepts_win():
    inspector = staff("insp_a", "inspector")
    staff("insp_b", "inspector")
    case = file_case()
    start = threading.Barrier(ATTEMPTS)
    outcomes = []

    def attempt():
        try:
            start.wait()
            services.case_transition(
                case_number=case.number,
                name="accept",
                actor=inspector,
                data={"inspectors": ["insp_a", "insp_b"]},
            )
            outcomes.append("ok")
        except errors.Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * (ATTEMPTS - 1) + ["ok"]
    assert CaseEvent.objects.filter(case=case, transition="accept").count() == 1
    case.refresh_from_db()
    assert (case.state, case.version) == ("investigating", 1)
