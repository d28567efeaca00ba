import os

from django.core.cache import cache


def test_the_cache_keeps_one_redis_client_for_every_call():
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is client
    cache.set("test-cache:client", "gardé", 30)
    assert cache.get("test-cache:client") == "gardé"


def test_a_forked_worker_reads_and_writes_through_its_own_connections():
    """gunicorn and Celery fork their workers after the parent may have used the cache: the kept client's pool opens
    new connections in the child (sharing the parent's socket would mix the two processes' answers)."""
    cache.set("test-cache:fork", "parent", 30)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it read, then write
        try:
            seen = cache.get("test-cache:fork")
            cache.set("test-cache:fork", "enfant", 30)
            os.write(write, seen.encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100) == b"parent"
    assert cache.get("test-cache:fork") == "enfant"
