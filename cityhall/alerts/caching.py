"""What makes the public alert pages and feeds stale: a version bumped on every public change.

The version (`ALERTS`, one of `cityhall.open311.caching`'s data sets) keys the cached feeds,
the emergency page and the crisis banner. It is bumped at once and again after commit, as
`cityhall.open311.events` does, so that a read between the two is never kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TypeVar, cast

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cityhall.open311.caching import ENTRY_TIMEOUT, bump_version, current_versions

#: Published alerts: their texts, areas and states.
ALERTS = "alerts"
_MISSING = object()
T = TypeVar("T")


def public_alerts_changed() -> None:
    """Make every cached page and feed showing published alerts unreachable."""
    bump_version(ALERTS)
    transaction.on_commit(partial(bump_version, ALERTS))


def cached_while_unchanged(name: str, build: Callable[[], tuple[T, datetime | None]]) -> T:
    """`build()`'s value, kept while no published alert changes, and never past the moment
    `build` names (the next expiry of what it shows) nor past ENTRY_TIMEOUT seconds."""
    (version,) = current_versions((ALERTS,))
    key = f"alerts:answer:{name}:{version}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return cast(T, found)
    body, next_change = build()
    timeout = ENTRY_TIMEOUT
    if next_change is not None:
        remaining = math.ceil((next_change - timezone.now()).total_seconds())
        timeout = max(1, min(timeout, remaining))
    cache.set(key, body, timeout=timeout)
    return body
