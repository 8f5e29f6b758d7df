"""The client's address comes from exactly the configured number of trusted proxies: a
client cannot escape a per-IP limit by writing its own X-Forwarded-For, and the limit,
the sign-in lockout and the personal-data access record all see the same address."""

from pathlib import Path

import pytest
from django.test import RequestFactory
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from config.client_address import client_address
from core.throttling import PublicRateThrottle

ROOT = Path(__file__).resolve().parent.parent
LOOKUP = "/api/v1/complaints/XF-2026-000001/?query_code=X"


@pytest.fixture
def two_lookups_a_minute(monkeypatch):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "lookup": "2/min"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)


def _address(settings, proxies, remote="10.0.0.2", forwarded=None):
    settings.LABORCASE_TRUSTED_PROXIES = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_it_reads_the_peer_and_ignores_the_header_without_a_trusted_proxy(settings):
    assert _address(settings, 0, forwarded="203.0.113.7") == "10.0.0.2"


def test_it_reads_the_entry_the_trusted_proxy_added(settings):
    assert _address(settings, 1, forwarded="203.0.113.7") == "203.0.113.7"
    # A client that sends its own header only adds entries to the left of the proxy's.
    assert _address(settings, 1, forwarded="1.2.3.4, 203.0.113.7") == "203.0.113.7"
    assert _address(settings, 2, forwarded="1.2.3.4, 203.0.113.7, 10.0.0.9") == "203.0.113.7"


def test_it_falls_back_to_the_peer_when_the_header_is_missing_or_garbage(settings):
    assert _address(settings, 1) == "10.0.0.2"
    assert _address(settings, 1, forwarded="not-an-address") == "10.0.0.2"


def test_it_keeps_the_lookup_limit_whatever_the_client_writes_in_the_header(
    db, two_lookups_a_minute
):
    client = APIClient()
    answers = [
        client.get(LOOKUP, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)
    ]
    assert answers == [404, 404, 429, 429, 429]


def test_it_counts_per_client_behind_the_trusted_proxy(db, settings, two_lookups_a_minute):
    settings.LABORCASE_TRUSTED_PROXIES = 1
    proxy = APIClient(REMOTE_ADDR="172.18.0.5")  # nginx: every request comes from it

    def lookup(forwarded):
        return proxy.get(LOOKUP, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [lookup(f"{n}.{n}.{n}.{n}, 203.0.113.7") for n in range(1, 4)] == [404, 404, 429]
    assert lookup("203.0.113.8") == 404  # another client behind the same proxy


def test_it_records_the_client_address_when_a_full_id_number_is_shown(db, settings):
    from cases.models import Claim, PersonalDataAccess
    from tests.factories import file_case, staff

    settings.LABORCASE_TRUSTED_PROXIES = 1
    inspector = staff("insp_ip", "inspector")
    case = file_case()
    claim = Claim.objects.filter(case=case).first()
    api = APIClient(REMOTE_ADDR="172.18.0.5")
    api.force_authenticate(inspector)

    response = api.post(
        f"/api/v1/cases/{case.number}/claims/{claim.pk}/reveal/",
        {"field": "phone", "purpose": "电话联系"},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    assert response.status_code == 200, response.content
    assert PersonalDataAccess.objects.get().ip_address == "203.0.113.7"


def test_the_shipped_proxy_sets_the_header_and_the_compose_file_trusts_one_proxy():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "$proxy_add_x_forwarded_for" not in nginx
    assert nginx.count("proxy_set_header X-Forwarded-For $remote_addr;") == 2
    compose = (ROOT / "docker-compose.yml").read_text()
    assert 'LABORCASE_TRUSTED_PROXIES: "1"' in compose
