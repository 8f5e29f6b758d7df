"""Two inspectors clicking at once: exactly one transition wins, the rest get 409."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cases import audit, errors, services
from cases.models import Case, CaseEvent
from tests.cases.complaint_support import png_bytes
from tests.factories import file_case, staff

ATTEMPTS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_twenty_concurrent_accepts_win(reference_data):
    # A transactional test may follow another that flushed the reference rows.
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_one_hash_chain_when_appends_race(settings, tmp_path, reference_data):
    """Evidence uploads racing on one case each find the head the one before left."""
    # Placed after the test above: transactional tests empty the tables when they end.
    settings.MEDIA_ROOT = tmp_path
    case = file_case()
    failures = []

    def upload(n):
        try:
            services.evidence_add(
                case=Case.objects.get(pk=case.pk),
                upload=SimpleUploadedFile(f"{n}.png", png_bytes(bytes([n, 0, 0, 0]))),
                actor=None,
            )
        except Exception as error:  # noqa: BLE001  (reported below)
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert CaseEvent.objects.filter(case=case).count() == 9
    assert audit.chain_verify() == []


def test_a_case_watches_the_same_state_fields_as_django_fsm_would_find():
    """Case.state_fields names its one FSM field instead of django_fsm filtering every
    field of the model each time a case is loaded: the same fields."""
    from django_fsm import FSMFieldMixin

    found = [f for f in Case._meta.fields if isinstance(f, FSMFieldMixin)]

    assert list(Case().state_fields) == found == [Case._meta.get_field("state")]
