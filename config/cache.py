"""Django's Redis cache with one client object per connection pool.

Django's RedisCacheClient builds a new redis.Redis object for every cache call
(get_client). The connections are pooled either way, but building the client costs
more CPU than the round trip itself with redis-py 7 (its response-callback table is
rebuilt each time): a complaint's rate limit makes two calls, and this was 4% of a
filing's CPU. A redis.Redis object is safe to share between threads (each command
takes a connection from the pool), and the pool itself reconnects after a fork.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _KeptClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClient
