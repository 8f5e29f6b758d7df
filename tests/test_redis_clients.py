"""The Redis clients kept between calls (config/cache.py, config/broker.py): one client
object per pool, not one per cache call or published task, and still working."""

import os

import pytest
from kombu import Connection

from config.cache import RedisCache

REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_the_cache_keeps_one_client_per_pool():
    cache = RedisCache(REDIS, {})

    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=False)


@pytest.mark.redis
def test_the_cache_still_reads_and_writes():
    cache = RedisCache(REDIS, {})
    cache.set("laborcase-test:kept-client", [1, 2], 30)

    assert cache.get("laborcase-test:kept-client") == [1, 2]
    cache.delete("laborcase-test:kept-client")


@pytest.mark.redis
def test_the_broker_keeps_its_publishing_client_and_delivers():
    with Connection(REDIS, transport="config.broker:Transport") as connection:
        channel = connection.default_channel
        assert channel._create_client() is channel._create_client()
        queue = connection.SimpleQueue("laborcase-test-kept-client")
        try:
            queue.put({"n": 1})
            queue.put({"n": 2})
            got = [queue.get(timeout=5), queue.get(timeout=5)]
            for message in got:
                message.ack()
            assert [message.payload for message in got] == [{"n": 1}, {"n": 2}]
        finally:
            queue.queue.delete()
            queue.close()


@pytest.mark.redis
def test_after_the_pool_is_dropped_a_new_client_is_made():
    with Connection(REDIS, transport="config.broker:Transport") as connection:
        channel = connection.default_channel
        first = channel._create_client()
        channel._disconnect_pools()  # as kombu does after a fork or a lost connection

        assert channel._create_client() is not first
