"""The shared cache: Django's Redis backend, with one Redis client kept per connection pool.

Django builds a new `redis.Redis` for every cache call and drops it after: about 60 µs each (the client fills its
table of response callbacks), as much as a third of a call over loopback. A client holds no connection of its own
(they belong to the pool, which redis-py reopens after a fork), so one client per pool serves every call and every
thread of the process. `incr_many` moves several counters in one round trip (core.pagecache's generations).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools live as long as this object: their ids are not reused
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient

    def incr_many(self, keys: list[str], missing: int) -> None:
        """Each key incremented by one, a missing key first set to `missing` (no expiry): one round trip for them
        all, where Django's incr() asks EXISTS then INCR for each. The values stay integers in Redis, as Django's
        serializer stores them, so get_many() reads them back."""
        pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
        for key in keys:
            name = self.make_and_validate_key(key)
            pipeline.set(name, missing, nx=True)
            pipeline.incr(name)
        pipeline.execute()
