"""A Redis cache that answers "not cached" while Redis is unreachable, instead of failing.

The shared cache only spares work: Open311 answers, anonymous pages and their data versions
can always be computed again from the database. When Redis is down, restarting, or still
loading its data after a restart, Django's RedisCache raises on every call, and each page that
touches the cache fails with it. This backend treats those failures as misses (a read finds
nothing, a write keeps nothing, `incr` finds no counter), logs a warning at most once a minute
per process, and serves from the database until Redis answers again.

What this costs: a data version bumped while Redis was unreachable is not recorded, so an answer
stored before the outage can be served until its own expiry (at most a minute for Open311
answers and pages). The rate-limit cache does not use this backend: counts that silently
reset would lift the sign-in limits during an outage.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: Seconds between two warnings of one process about the same unreachable cache.
WARNING_INTERVAL = 60.0
_last_warning = 0.0

Method = TypeVar("Method", bound=Callable[..., Any])


def _warn(operation: str, error: Exception) -> None:
    global _last_warning  # one throttle per process
    now = time.monotonic()
    if now - _last_warning >= WARNING_INTERVAL:
        _last_warning = now
        logger.warning(
            "The shared cache is unreachable (%s: %s); serving without it.", operation, error
        )


def _tolerating(method: Method, answer_on_outage: Callable[..., Any]) -> Method:
    """`method`, answering `answer_on_outage(*arguments)` when Redis cannot be reached."""

    @functools.wraps(method)
    def tolerant(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as error:
            _warn(method.__name__, error)
            return answer_on_outage(*args, **kwargs)

    return tolerant  # type: ignore[return-value]


def _no_counter(*_arguments: Any, **_keywords: Any) -> int:
    raise ValueError("The shared cache is unreachable: no counter can be read.")


def _nothing(*_arguments: Any, **_keywords: Any) -> None:
    return None


def _false(*_arguments: Any, **_keywords: Any) -> bool:
    return False


def _default(key: str, default: Any = None, version: int | None = None) -> Any:
    return default


def _no_values(*_arguments: Any, **_keywords: Any) -> dict[str, Any]:
    return {}


def _every_key_failed(data: dict[str, Any], *_arguments: Any, **_keywords: Any) -> list[str]:
    return list(data)


class OutageTolerantRedisCache(RedisCache):
    """Django's RedisCache whose calls degrade to misses while Redis is unreachable."""

    get = _tolerating(RedisCache.get, _default)
    get_many = _tolerating(RedisCache.get_many, _no_values)
    has_key = _tolerating(RedisCache.has_key, _false)
    set = _tolerating(RedisCache.set, _nothing)
    add = _tolerating(RedisCache.add, _false)
    touch = _tolerating(RedisCache.touch, _false)
    set_many = _tolerating(RedisCache.set_many, _every_key_failed)
    delete = _tolerating(RedisCache.delete, _false)
    delete_many = _tolerating(RedisCache.delete_many, _nothing)
    incr = _tolerating(RedisCache.incr, _no_counter)
    clear = _tolerating(RedisCache.clear, _nothing)
