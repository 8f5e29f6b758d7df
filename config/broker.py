"""kombu's Redis transport, keeping one client object per channel for publishing.

kombu builds a new redis.Redis object for every message it publishes
(Channel.conn_or_acquire). The connection comes from the channel's pool either way,
but with redis-py 7 building the client is a quarter of the CPU of queueing a task,
and every new complaint queues one (notifications.tasks.enqueue). The kept client is
dropped with the pool it was made for (after a fork or a lost connection kombu makes a
new pool). A redis.Redis object may be shared between threads: each command takes a
connection from the pool.

Used by settings.CELERY_BROKER_TRANSPORT when the broker is Redis.
"""

from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _kept_client = None

    def _create_client(self, asynchronous=False):
        if asynchronous:
            return super()._create_client(asynchronous=True)
        pool = self.pool
        client = self._kept_client
        if client is None or client.connection_pool is not pool:
            client = self._kept_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
