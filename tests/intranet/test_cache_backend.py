"""The production cache (intranet.cache.SharedClientRedisCache, with REDIS_URL): what Django's Redis
cache does, with one Redis client per connection pool instead of one per call."""

import os
import uuid

from intranet.cache import SharedClientRedisCache
from tests.conftest import skip_or_fail


def _cache():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail("The Redis cache's tests need Redis: set REDIS_URL")
    return SharedClientRedisCache(url, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})


def test_it_stores_reads_and_forgets_as_django_s_redis_cache():
    cache = _cache()
    cache.set("fiche", {"titre": "Former les agents"}, 30)
    cache.set_many({"a": 1, "b": 2}, 30)
    assert cache.get("fiche") == {"titre": "Former les agents"}
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert cache.add("a", 5) is False
    cache.delete_many(["fiche", "a", "b"])
    assert cache.get("fiche") is None


def test_one_client_serves_every_call():
    cache = _cache()
    cache.set("un", 1, 30)
    client = cache._cache.get_client(write=True)
    cache.get("un")
    cache.set("deux", 2, 30)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads and writes share its pool
    cache.delete_many(["un", "deux"])
