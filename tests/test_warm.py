"""A fresh web process pays the filing's first-use costs at start (config/warm.py)."""

import logging
from contextlib import contextmanager

from config import warm
from config.celery import app
from core import validators


def test_it_loads_the_area_code_table(monkeypatch):
    validators._area_code_ever_existed.cache_clear()

    warm.warm_web().join(timeout=30)

    assert validators._area_code_ever_existed.cache_info().currsize == 1
    assert validators._area_code_ever_existed(warm.KNOWN_AREA_CODE)


def test_it_opens_the_brokers_connection(monkeypatch):
    opened = []

    class Connection:
        def ensure_connection(self, max_retries):
            opened.append(max_retries)

    class Producer:
        connection = Connection()
        channel = object()

    @contextmanager
    def producer_or_acquire():
        yield Producer()

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "producer_or_acquire", producer_or_acquire)

    warm._warm_broker()

    assert opened == [1]


def test_a_broker_that_is_down_delays_nothing(monkeypatch, caplog):
    @contextmanager
    def refused():
        raise ConnectionRefusedError("no broker")
        yield

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "producer_or_acquire", refused)

    with caplog.at_level(logging.INFO, logger="config.warm"):
        warm._warm_broker()

    assert "broker not reachable at start" in caplog.text
