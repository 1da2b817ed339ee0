"""Whether the read replica may serve reads now: reachable, and not too far behind.

Each process asks the replica at most once every HEALTH_CHECK_SECONDS and keeps the answer,
so routing a read costs no query. While one thread asks, the others keep the last answer; a
replica that cannot be asked (down, refusing connections, not replicating) counts as
infinitely behind, which sends every read to the primary until a later check succeeds.
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

#: Longest time a process trusts its last look at the replica.
HEALTH_CHECK_SECONDS = 2.0

# The replica is caught up when it has replayed all the WAL it received: its data then are
# those of the last commit it heard of, however long ago (an idle primary sends no WAL, so
# the time since the last replayed commit alone would call an idle pair "behind"). Otherwise
# it is behind by the time since the last commit it replayed. Without a WAL receiver it
# cannot know what it misses. Every function here is open to any role.
LAG_QUERY = """
    SELECT pg_is_in_recovery(),
           EXISTS (SELECT 1 FROM pg_stat_wal_receiver),
           pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
           EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""


@dataclass(frozen=True)
class _Look:
    lag: float
    at: float


class ReplicaHealth:
    """The last known lag of one replica database alias, refreshed when it gets old."""

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self._lock = threading.Lock()
        self._look: _Look | None = None

    def is_usable(self, *, max_lag: float) -> bool:
        """Whether the replica was at most `max_lag` seconds behind at the last check."""
        look = self._look
        if look is None or time.monotonic() - look.at >= HEALTH_CHECK_SECONDS:
            look = self._refresh() or look
        return look is not None and look.lag <= max_lag

    def mark_down(self) -> None:
        """Count the replica as unusable until the next check (it just failed a read).

        Also drops this thread's connection to it, which may be broken.
        """
        self._look = _Look(lag=math.inf, at=time.monotonic())
        _close_quietly(self.alias)

    def _refresh(self) -> _Look | None:
        if not self._lock.acquire(blocking=False):
            return None  # another thread is asking
        try:
            self._look = _Look(lag=self._measure_lag(), at=time.monotonic())
            return self._look
        finally:
            self._lock.release()

    def _measure_lag(self) -> float:
        connection = connections[self.alias]
        if _is_mirror_of_primary(self.alias):
            return 0.0  # the alias reads the primary's own database (tests)
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_QUERY)
                in_recovery, receiving, caught_up, since_replay = cursor.fetchone()
        except Exception:
            # Whatever went wrong (down, refused, timed out, not PostgreSQL), reads must not
            # fail for it: they go to the primary.
            logger.warning("Replica %r cannot be checked; reading the primary.", self.alias)
            _close_quietly(self.alias)
            return math.inf
        if not in_recovery or not receiving:
            return math.inf  # promoted, or cut off from its primary
        if caught_up:
            return 0.0
        return math.inf if since_replay is None else float(since_replay)


def _is_mirror_of_primary(alias: str) -> bool:
    mine = connections[alias].settings_dict
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    return all(mine.get(key) == primary.get(key) for key in ("ENGINE", "HOST", "PORT", "NAME"))


def _close_quietly(alias: str) -> None:
    with contextlib.suppress(Exception):  # a broken connection is dropped either way
        connections[alias].close()


_HEALTH: dict[str, ReplicaHealth] = {}


def replica_health(alias: str) -> ReplicaHealth:
    """The process's health record of the replica `alias`."""
    health = _HEALTH.get(alias)
    if health is None:
        health = _HEALTH.setdefault(alias, ReplicaHealth(alias))
    return health


def forget_replica_health() -> None:
    """Drop every record, so the next read checks afresh (tests; after a failover)."""
    _HEALTH.clear()
