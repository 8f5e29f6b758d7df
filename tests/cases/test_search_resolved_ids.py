"""The queue's fast paths give exactly what the plain ones give: the search's ids looked up
first (cases.search.matching_case_ids) against its subquery (case_ids_matching), and the
queue's totals per case (selectors.queue_cases) against the join grouped by case
(selectors.staff_cases), on varied cases, texts, filters and users."""

from decimal import Decimal

import pytest
from django.core.paginator import Paginator

from cases import search, selectors
from cases.models import Case, Claim
from core.models import Person
from tests.factories import VALID_IDS, claimant, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(people):
    made = [
        file_case(employer="甲建筑公司", claimants=[claimant(0), claimant(1, amount="1234.56")]),
        file_case(employer="乙餐饮公司", claimants=[claimant(2)]),
        file_case(employer="丙公司", township="zhaokang", claimants=[claimant(2), claimant(3)]),
        file_case(employer="甲建筑公司", claimants=[claimant(i) for i in range(4, 11)]),
        file_case(employer="丁物流公司", claimants=[claimant(11), claimant(0)]),
        file_case(kind="labor_dispute", employer="戊公司", claimants=[claimant(12)]),
    ]
    Case.objects.filter(pk=made[1].pk).update(project_name="城南安置房项目", state="closed")
    Case.objects.filter(pk=made[3].pk).update(is_collective=True)
    Claim.objects.filter(case=made[0], person__name="工人1").update(
        amount_recovered=Decimal("1000.50")
    )
    Claim.objects.filter(case=made[5]).delete()  # a case left with no claimant
    # Two workers with a two-character name (matched whole), one with a longer one.
    Person.objects.filter(name__in=["工人4", "工人11"]).update(name="王伟")
    Person.objects.filter(name="工人5").update(name="王伟华")
    made[0].inspectors.add(people["inspector"])
    return made


TEXTS = [
    "工人1",  # part of several names
    "王伟",  # a whole two-character name
    "王伟华",
    "伟华",
    VALID_IDS[2],
    VALID_IDS[0].lower(),
    "13800130002",
    "138-0013-0011",
    "甲建筑",
    "安置房",
    "XF-",  # the beginning of every number
    "xf-20",
    "公司",
    "不存在的名字",
    "甲",
]


def case_number_texts(cases):
    return [cases[0].number, cases[3].number.lower(), cases[4].number[:-1]]


@pytest.mark.parametrize("claimants", [True, False])
def test_the_ids_looked_up_first_are_the_subquerys_cases(cases, claimants):
    for text in TEXTS + case_number_texts(cases):
        plain = set(search.case_ids_matching(text, claimants=claimants))
        looked_up = search.matching_case_ids(text, claimants=claimants)

        assert looked_up is not None
        assert set(looked_up) == plain, text
        assert len(looked_up) == len(set(looked_up))


@pytest.mark.parametrize("limit", [1, 2])
def test_past_the_limit_the_search_is_the_subquery_and_finds_the_same(cases, monkeypatch, limit):
    monkeypatch.setattr(search, "RESOLVED_IDS_MAX", limit)

    assert search.matching_case_ids("XF-") is None
    assert search.matching_case_ids(VALID_IDS[2]) == (
        None if limit == 1 else sorted([cases[1].pk, cases[2].pk])
    )
    for text in TEXTS + case_number_texts(cases):
        assert set(Case.objects.filter(search.search_condition(text))) == set(
            Case.objects.filter(pk__in=search.case_ids_matching(text))
        ), text


def rows(queryset):
    return [
        (
            case.pk,
            case.claimant_count,
            case.claimed_total,
            case.recovered_total,
            case.mine,
            case.employer.name,
            case.township.code,
        )
        for case in queryset
    ]


QUERIES = [
    {},
    {"state": "all"},
    {"state": "closed"},
    {"state": "all", "sort": "-received_at"},
    {"state": "all", "sort": "-risk_score", "collective": "1"},
    {"state": "all", "mine": "1"},
    {"state": "all", "q": "工人1"},
    {"state": "all", "q": "王伟"},
    {"state": "all", "q": "甲建筑"},
    {"state": "all", "q": VALID_IDS[2]},
    {"q": "XF-", "sort": "-deadline"},
    {"state": "all", "q": "戊公司"},
    {"state": "all", "q": "没有"},
]


@pytest.mark.parametrize("who", ["inspector", "supervisor", "other_township"])
def test_the_queue_shows_what_the_grouped_join_shows(people, cases, who):
    user = people[who]
    for query in QUERIES:
        filters = selectors.QueueFilters.from_query(query)
        queue = selectors.case_queue(user, filters)
        plain = selectors._queue_of(selectors.staff_cases(user), filters, None)

        assert rows(queue) == rows(plain), query
        assert queue.count() == plain.count(), query
        page, plain_page = Paginator(queue, 2).get_page(1), Paginator(plain, 2).get_page(1)
        assert page.paginator.count == plain_page.paginator.count
        assert rows(page) == rows(plain_page)


def test_the_totals_count_every_claim_and_zero_without_one(people, cases):
    filters = selectors.QueueFilters.from_query({"state": "all"})
    by_id = {case.pk: case for case in selectors.case_queue(people["supervisor"], filters)}

    first, empty = by_id[cases[0].pk], by_id[cases[5].pk]
    assert (first.claimant_count, first.claimed_total, first.recovered_total) == (
        2,
        Decimal("9234.56"),
        Decimal("1000.50"),
    )
    assert (empty.claimant_count, empty.claimed_total, empty.recovered_total) == (0, 0, 0)
    assert by_id[cases[3].pk].claimant_count == 7


def test_on_postgresql_the_ids_found_are_one_array_parameter(cases):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite gets an IN list")
    condition = search.search_condition("王伟")
    sql, params = Case.objects.filter(condition).values("pk").query.sql_with_params()

    assert '"cases_case"."id" = ANY(%s::bigint[])' in sql and "IN (" not in sql
    first, second = sorted([cases[3].pk, cases[4].pk])
    assert params == (f"{{{first},{second}}}",)
