"""The quarterly publication: built from the cases decided in the quarter that meet the
publication's conditions, with personal data redacted; approved by a supervisor who did
not draft it, and frozen from then on."""

import datetime as dt

import pytest

from enforcement import errors, publications
from enforcement.models import Publication
from tests.enforcement.support import DAY0, RESPONSIBLE, listed, ordered_case, run
from tests.factories import claimant

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 2)  # the first quarter of 2026 has ended


def penalized(people, **kwargs):
    case = ordered_case(people, **kwargs)
    run(
        case, "penalize", people["inspector"], DAY0 + dt.timedelta(days=25), compensation_percent=50
    )
    return case


def draft(people, who="inspector", quarter=1):
    return publications.publication_draft(
        year=2026, quarter=quarter, actor=people[who], today=TODAY
    )


def test_it_lists_the_blacklisted_case_with_personal_data_redacted(people):
    entry = listed(people, case=penalized(people))
    small = ordered_case(  # decided in the quarter, but meets no publication condition
        people, employer="襄汾县小额欠薪商店", claimants=[claimant(1, amount="2000.00", months=1)]
    )
    run(
        small,
        "penalize",
        people["inspector"],
        DAY0 + dt.timedelta(days=25),
        compensation_percent=50,
    )
    publication = draft(people)
    items = list(publication.items.all())
    assert [i.employer_name for i in items] == [entry.employer.name]
    item = items[0]
    assert item.responsible_person == "法定代表人李建国"
    assert "拖欠1名劳动者工资共计8,000.00元，经责令限期支付逾期未支付" == item.violation
    assert "列入拖欠农民工工资失信联合惩戒对象名单" in item.outcome
    assert "加付赔偿金（50%）" in item.outcome
    text = " ".join(str(getattr(item, f.name)) for f in item._meta.fields)
    worker = entry.case.claims.first().person
    assert worker.name not in text and worker.id_number not in text and worker.phone not in text
    assert RESPONSIBLE["id_number"] not in text


def test_the_responsible_person_s_name_follows_the_rule_row(people):
    from rules.models import LegalParameter

    listed(people, case=penalized(people))
    LegalParameter.objects.filter(code="publication_names_responsible_person").update(value=0)
    assert draft(people).items.get().responsible_person == ""


def test_a_transfer_to_the_police_is_published(people):
    case = ordered_case(people)
    run(case, "transfer_to_police", people["inspector"], DAY0 + dt.timedelta(days=25), note="移送")
    item = draft(people).items.get()
    assert item.criteria == "涉嫌拒不支付劳动报酬罪移送公安机关"
    assert "移送公安机关" in item.outcome and item.responsible_person == ""


def test_approval_is_four_eyes_and_freezes_the_list(people):
    listed(people, case=penalized(people))
    publication = draft(people, who="supervisor")
    with pytest.raises(errors.Forbidden, match=errors.PUBLICATION_FOUR_EYES):
        publications.publication_approve(publication_id=publication.pk, actor=people["supervisor"])
    with pytest.raises(errors.Forbidden, match=errors.PUBLICATION_APPROVE_ROLE):
        publications.publication_approve(publication_id=publication.pk, actor=people["inspector"])
    approved = publications.publication_approve(
        publication_id=publication.pk, actor=people["supervisor_b"]
    )
    assert approved.state == Publication.State.APPROVED
    before = list(approved.items.values_list("employer_name", "violation"))
    # A later correction of the employer does not reach the approved list,
    # and the list cannot be drafted again.
    employer = approved.items.get().case_number
    from cases.models import Case

    Case.objects.get(number=employer).employer.__class__.objects.update(name="改名后的公司")
    with pytest.raises(errors.Conflict):
        draft(people)
    assert list(approved.items.values_list("employer_name", "violation")) == before


def test_a_draft_is_built_again_with_the_latest_facts(people):
    publication = draft(people)
    assert publication.items.count() == 0
    listed(people, case=penalized(people))
    again = draft(people, who="inspector_b")
    assert again.pk == publication.pk and again.items.count() == 1
    assert again.drafted_by == people["inspector_b"]


def test_bad_quarters_and_roles_are_refused(people):
    with pytest.raises(errors.InvalidInput):
        draft(people, quarter=5)
    with pytest.raises(errors.InvalidInput):  # has not started yet
        draft(people, quarter=4)
    with pytest.raises(errors.Forbidden):
        draft(people, who="mediator")
