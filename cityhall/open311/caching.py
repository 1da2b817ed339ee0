"""Server-side caching of GeoReport v2 GET answers, keyed by versions of what they show.

The versions also key the portal's pages for anonymous visitors (`cityhall.portal.page_cache`).

A GET answer is stored as rendered bytes under a key made of the URL, the query, the format,
the language and the current version of each data set it shows (`CATALOG`, `REQUESTS`).
A change to one of those data sets bumps its version (see `cityhall.open311.events`), so the
next GET misses and rebuilds; the old entries are never read again and expire by themselves.

Writes that bypass the ORM's per-row signals (`QuerySet.update`, `bulk_create`) bump
nothing, and each process has its own local-memory cache; entries therefore live only
`ENTRY_TIMEOUT` seconds, as long as the answers' Cache-Control lets shared caches keep them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

#: The catalog: services, topics, fields and their choices.
CATALOG = "catalog"
#: Service requests and their timelines.
REQUESTS = "requests"
#: Districts (their names show on the portal's status pages).
PLACES = "places"
SCOPES = (CATALOG, REQUESTS, PLACES)

#: Longest time (seconds) an entry is served; also the Cache-Control max-age of the answers.
ENTRY_TIMEOUT = 60

#: The query parameters an answer can depend on; others (cache busters, api_key) are left out of
#: keys, so that they cannot fill the cache with copies of one answer.
ANSWER_PARAMETERS = frozenset(
    {
        "service_request_id",
        "service_code",
        "start_date",
        "end_date",
        "status",
        "updated_after",
        "updated_before",
        "page",
        "page_size",
        "extensions",
        "lang",
        "locale",
        "jurisdiction_id",
    }
)

_VERSION_KEY = "open311:version:{scope}"
_ENTRY_KEY = "open311:entry:{digest}"


@dataclass(frozen=True)
class CachedAnswer:
    """A rendered 200 answer and the validators sent with it (Last-Modified as an HTTP date)."""

    body: bytes
    content_type: str
    etag: str
    last_modified: str | None


def bump_version(scope: str) -> None:
    """Make every stored answer showing `scope`'s data unreachable."""
    key = _VERSION_KEY.format(scope=scope)
    try:
        cache.incr(key)
    except ValueError:
        # Missing (never set, evicted or cleared): a fresh start value cannot equal a
        # version that earlier entries were stored under.
        cache.set(key, time.time_ns(), timeout=None)


def answer_key(request: HttpRequest, *, scopes: tuple[str, ...], variant: str) -> str:
    """The cache key of this GET's answer; `variant` holds the format and language."""
    versions = current_versions(scopes)
    query = sorted(
        (name, values) for name, values in request.GET.lists() if name in ANSWER_PARAMETERS
    )
    # The host is part of the answer: discovery gives the endpoint's absolute URL.
    source = repr((request.scheme, request.get_host(), request.path, query, variant, versions))
    return _ENTRY_KEY.format(digest=hashlib.blake2b(source.encode(), digest_size=20).hexdigest())


def get_answer(key: str) -> CachedAnswer | None:
    """The answer stored under `key`, if any."""
    answer = cache.get(key)
    return answer if isinstance(answer, CachedAnswer) else None


def store_answer(key: str, answer: CachedAnswer) -> None:
    """Keep `answer` under `key` for at most ENTRY_TIMEOUT seconds."""
    cache.set(key, answer, timeout=ENTRY_TIMEOUT)


def current_versions(scopes: tuple[str, ...]) -> list[int]:
    """The current version of each of `scopes`, in order; any change to its data changes it."""
    keys = [_VERSION_KEY.format(scope=scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add() keeps a value another process set meanwhile.
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]
