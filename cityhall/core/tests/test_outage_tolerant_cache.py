"""While Redis cannot be reached, the shared cache misses instead of failing its callers."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from cityhall.core.outage_tolerant_cache import OutageTolerantRedisCache
from cityhall.core.testing import require_or_skip, server_is_listening
from cluster.processes import free_port

BACKEND = "cityhall.core.outage_tolerant_cache.OutageTolerantRedisCache"


def _cache_at(url: str) -> dict[str, dict[str, str]]:
    return {
        "default": {"BACKEND": BACKEND, "LOCATION": url},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


@pytest.fixture
def unreachable_cache():
    """The default cache pointed at a port where nothing listens."""
    with override_settings(CACHES=_cache_at(f"redis://127.0.0.1:{free_port()}/0")):
        cache = caches["default"]
        assert isinstance(cache, OutageTolerantRedisCache)
        yield cache


def test_reads_find_nothing_and_writes_keep_nothing_while_redis_is_down(unreachable_cache):
    assert unreachable_cache.get("answer", "fallback") == "fallback"
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert unreachable_cache.add("a", 1) is False
    assert unreachable_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable_cache.has_key("a") is False
    unreachable_cache.set("a", 1)
    unreachable_cache.delete_many(["a"])


def test_a_counter_is_missing_while_redis_is_down(unreachable_cache):
    with pytest.raises(ValueError, match="unreachable"):
        unreachable_cache.incr("version")


@pytest.mark.django_db
def test_open311_answers_from_the_database_while_the_cache_is_down(unreachable_cache, client):
    answer = client.get(reverse("open311:services", kwargs={"fmt": "json"}))

    assert answer.status_code == 200


@pytest.mark.redis
def test_with_redis_up_it_caches_as_redis_does():
    require_or_skip(server_is_listening("127.0.0.1", 6379), "Redis is not on 127.0.0.1:6379")
    with override_settings(CACHES=_cache_at("redis://127.0.0.1:6379/11")):
        cache = caches["default"]
        cache.clear()
        cache.set("answer", 42)
        assert cache.get("answer") == 42
        assert cache.incr("answer") == 43
        cache.clear()


def test_the_rate_limit_cache_still_fails_loudly():
    from config.services import rate_limit_cache_settings

    settings = rate_limit_cache_settings("redis://127.0.0.1:6379/1", production=True)

    assert settings["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
