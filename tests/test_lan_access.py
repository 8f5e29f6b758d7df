"""`make run HOST=0.0.0.0`: a phone on the same network opens the portal by this
machine's LAN address, which development settings allow (config/lan.py)."""

import os
import socket

import pytest

from config import lan

pytestmark = pytest.mark.django_db


def test_it_answers_on_this_machines_lan_address(client):
    if "ALLOWED_HOSTS" in os.environ:
        pytest.skip("ALLOWED_HOSTS is set explicitly")
    addresses = lan.lan_addresses()
    if not addresses:
        pytest.skip("this machine has no network interface besides loopback")

    response = client.get("/", HTTP_HOST=f"{addresses[0]}:8080")

    assert response.status_code == 200


def test_it_still_refuses_other_hosts(client):
    assert client.get("/", HTTP_HOST="evil.example.com").status_code == 400


def test_it_finds_no_lan_address_without_a_network(monkeypatch):
    class NoNetwork:
        def __init__(self, *args):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def connect(self, address):
            raise OSError("Network is unreachable")

    monkeypatch.setattr(socket, "socket", NoNetwork)
    assert lan.lan_addresses() == []
