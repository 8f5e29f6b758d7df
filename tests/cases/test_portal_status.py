"""A worker checks a case with its number and query code; nobody else can."""

import re

import pytest
from django.test import Client
from rest_framework.settings import api_settings

from cases import services
from core.throttling import PublicRateThrottle
from tests.factories import file_case, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return file_case()


def lookup(client, number, code):
    return client.post("/status/", {"case_number": number, "query_code": code})


def test_it_shows_the_state_in_plain_words_with_timeline_and_days_left(client, case):
    response = lookup(client, case.number, case.query_code)
    assert response.status_code == 302
    assert response["Location"] == f"/status/{case.number}/"

    body = client.get(response["Location"]).content.decode()

    assert "已提交" in body and "工作人员会在法定期限内决定是否受理" in body
    assert "投诉已提交" in body  # the timeline, in the worker's words
    assert f"还剩 <strong>{case.days_left()}</strong> 天" in body
    assert case.deadline.isoformat() in body


def test_it_accepts_the_code_in_lower_case_and_the_number_with_spaces(client, case):
    response = lookup(client, f" {case.number.lower()} ", case.query_code.lower())

    assert response.status_code == 302


def test_it_follows_the_case_through_its_transitions(client, case):
    inspector = staff("insp_a", "inspector")
    staff("insp_b", "inspector")
    services.case_transition(
        case_number=case.number,
        name="accept",
        actor=inspector,
        data={"inspectors": ["insp_a", "insp_b"]},
    )
    lookup(client, case.number, case.query_code)

    body = client.get(f"/status/{case.number}/").content.decode()

    assert "调查中" in body and "已受理（立案）" in body and "劳动保障监察员正在调查" in body


def _without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_it_answers_a_wrong_code_exactly_like_an_unknown_number(client, case):
    wrong_code = lookup(client, case.number, "WRONG234")
    unknown = lookup(client, "XF-2026-999999", "WRONG234")

    assert wrong_code.status_code == unknown.status_code == 404
    assert "案件编号或查询码不正确" in wrong_code.content.decode()
    assert _without_tokens(wrong_code.content.decode()).replace(
        case.number, "N"
    ) == _without_tokens(unknown.content.decode()).replace("XF-2026-999999", "N")


def test_it_never_shows_a_status_page_to_a_browser_without_the_code(client, case):
    response = client.get(f"/status/{case.number}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/status/?case_number=")
    assert case.query_code not in client.get(response["Location"]).content.decode()


def test_it_rate_limits_lookups_per_ip(client, case, monkeypatch):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "lookup": "3/min"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)
    for _ in range(3):
        assert lookup(client, case.number, "WRONG234").status_code == 404

    response = lookup(client, case.number, case.query_code)

    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    other_ip = Client(REMOTE_ADDR="10.9.8.7")
    assert lookup(other_ip, case.number, case.query_code).status_code == 302


def test_it_rate_limits_filing_per_ip(client, monkeypatch):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "complaints": "1/min"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)
    client.post("/complaint/", {"rows": "1"})

    response = client.post("/complaint/", {"rows": "1"})

    assert response.status_code == 429


def test_it_keeps_serving_workers_when_the_rate_limit_cache_is_down(client, case, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    assert lookup(client, case.number, case.query_code).status_code == 302


def test_it_checks_the_csrf_token_on_lookups(case):
    client = Client(enforce_csrf_checks=True)

    assert lookup(client, case.number, case.query_code).status_code == 403


def test_it_switches_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    body = client.get("/").content.decode()
    form = client.get("/complaint/").content.decode()

    assert 'lang="en"' in body and "File a complaint" in body
    assert "Is it a construction project?" in form and "Submit complaint" in form
