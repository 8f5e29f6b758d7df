"""Early removal: the employer applies after paying; the supervisor removes it when the
case's recovered amount covers what was owed, and otherwise refuses with a reason."""

import datetime as dt

import pytest

from enforcement import errors, services
from enforcement.models import EntryState
from tests.enforcement.support import AFTER, listed, run

pytestmark = pytest.mark.django_db
LATER = AFTER + dt.timedelta(days=40)


def apply(people, entry, who="inspector"):
    return services.blacklist_removal_apply(
        entry_id=entry.pk, actor=people[who], application="已全额支付，附银行回单", today=LATER
    )


def decide(people, entry, approve, note="", who="supervisor"):
    return services.blacklist_removal_decide(
        entry_id=entry.pk, actor=people[who], approve=approve, note=note, today=LATER
    )


def test_it_refuses_to_remove_while_wages_are_still_owed(people):
    entry = apply(people, listed(people))
    with pytest.raises(errors.Conflict) as refused:
        decide(people, entry, approve=True)
    assert "尚欠劳动者工资8,000.00元" in refused.value.message
    entry = decide(people, entry, approve=False, note="尚未支付，凭证不实")
    assert entry.state == EntryState.LISTED and entry.removal_decision == "refused"
    assert not entry.removal_pending  # the employer may apply again


def test_it_removes_once_the_recovered_amount_covers_what_was_owed(people):
    entry = listed(people)
    claim = entry.case.claims.first()
    run(
        entry.case,
        "record_payment",
        people["inspector"],
        LATER,
        payments=[{"claim": claim.pk, "amount": "8000.00"}],
    )
    entry = decide(people, apply(people, entry), approve=True, note="已改正")
    assert entry.state == EntryState.REMOVED_EARLY and entry.ended_on == LATER
    entry.employer.refresh_from_db()
    assert entry.employer.blacklisted_until is None
    assert [e.action for e in entry.events.all()][-2:] == ["removal_apply", "remove"]


def test_the_rules_of_the_application(people):
    entry = listed(people)
    with pytest.raises(errors.Conflict, match=errors.NO_REMOVAL_PENDING):
        decide(people, entry, approve=True)
    with pytest.raises(errors.InvalidInput, match=errors.REMOVAL_APPLICATION_REQUIRED):
        services.blacklist_removal_apply(
            entry_id=entry.pk, actor=people["inspector"], application="", today=LATER
        )
    apply(people, entry, who="supervisor_b")
    with pytest.raises(errors.Conflict, match=errors.REMOVAL_PENDING):
        apply(people, entry)
    with pytest.raises(errors.Forbidden, match=errors.REMOVAL_FOUR_EYES):
        decide(people, entry, approve=False, note="x", who="supervisor_b")
    with pytest.raises(errors.Forbidden, match=errors.REMOVAL_DECIDE_ROLE):
        decide(people, entry, approve=False, note="x", who="inspector")
