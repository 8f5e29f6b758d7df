"""The Redis cache of the test run (tests/settings.py): clear() removes this worker's keys
only, where Django's RedisCache.clear() empties the whole database (FLUSHDB) under the
feet of the other pytest-xdist workers sharing it."""

from django.core.cache.backends.redis import RedisCache


class WorkerRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        return True
