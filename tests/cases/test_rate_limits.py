"""Public endpoints are rate-limited per IP, and still serve workers when Redis is down."""

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from cases.models import Case
from core.throttling import PublicRateThrottle

COMPLAINT = {
    "kind": "wage_arrears",
    "employer": {"name": "襄汾县某建筑公司", "township": "xincheng"},
    "claimants": [
        {
            "name": "张三",
            "id_number": "11010519491231002X",
            "phone": "13800138000",
            "amount_claimed": "8000.00",
        }
    ],
    "description": "拖欠三个月工资",
}


@pytest.fixture
def low_limits(monkeypatch):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "lookup": "2/min"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)


def test_it_answers_429_in_plain_words_past_the_limit(db, low_limits):
    client = APIClient()
    for _ in range(2):
        assert client.get("/api/v1/complaints/XF-2026-000001/?query_code=X").status_code == 404

    response = client.get("/api/v1/complaints/XF-2026-000001/?query_code=X")

    assert response.status_code == 429
    assert "请求过于频繁" in response.json()["detail"]


def test_it_files_complaints_when_the_rate_limit_cache_is_down(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }

    response = APIClient().post("/api/v1/complaints/", COMPLAINT, format="json")

    assert response.status_code == 201
    assert Case.objects.count() == 1
