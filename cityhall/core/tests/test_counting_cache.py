"""The database counting cache: `migrate` makes its table, and it counts like Redis does."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection

from cityhall.core.counting_cache import create_counting_cache_tables
from cityhall.core.errors import RateLimited
from cityhall.core.ratelimit import count_hit, increment
from config.services import RATE_LIMIT_TABLE, rate_limit_cache_settings


@pytest.fixture
def counting_in_the_database(db, settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": rate_limit_cache_settings("db://", production=True),
    }
    create_counting_cache_tables(using="default")


def test_migrate_creates_the_counting_table(counting_in_the_database):
    assert RATE_LIMIT_TABLE in connection.introspection.table_names()


def test_counts_go_up_one_at_a_time(counting_in_the_database):
    counts = [increment("test:counts", timeout=60) for _ in range(3)]

    assert counts == [1, 2, 3]
    assert caches["ratelimit"].get("test:counts") == 3


def test_an_expired_count_starts_again(counting_in_the_database):
    caches["ratelimit"].set("test:expired", 7, timeout=-1)

    with pytest.raises(ValueError, match="not found"):
        caches["ratelimit"].incr("test:expired")
    assert increment("test:expired", timeout=60) == 1


def test_the_hit_past_the_limit_is_refused(counting_in_the_database, settings):
    settings.RATE_LIMITS = {"test.callers": "2/minute"}

    count_hit(bucket="test.callers", identity="key:1", now=1_800_000_000.0)
    count_hit(bucket="test.callers", identity="key:1", now=1_800_000_000.0)

    with pytest.raises(RateLimited):
        count_hit(bucket="test.callers", identity="key:1", now=1_800_000_000.0)
