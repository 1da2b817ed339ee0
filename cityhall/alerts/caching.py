"""What makes the public alert pages and feeds stale: a version bumped on every public change.

The version (`ALERTS`, one of `cityhall.open311.caching`'s data sets) keys the cached feeds,
the emergency page and the crisis banner. It is bumped at once and again after commit, as
`cityhall.open311.events` does, so that a read between the two is never kept.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from cityhall.open311.caching import bump_version

#: Published alerts: their texts, areas and states.
ALERTS = "alerts"


def public_alerts_changed() -> None:
    """Make every cached page and feed showing published alerts unreachable."""
    bump_version(ALERTS)
    transaction.on_commit(partial(bump_version, ALERTS))
