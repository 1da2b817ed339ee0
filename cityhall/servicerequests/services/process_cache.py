"""Rows a filing reads every time and that rarely change, kept in this process for seconds.

A filing would otherwise spend most of its queries re-reading the same catalog rows and the
partner's key. A `ProcessCache` keeps each value for `seconds`, and forgets everything at
once when a row of one of its models is saved or deleted in this process, or the database
is flushed. Another process's change is seen within `seconds`; so are writes that send no
signal (`QuerySet.update`).

A value read inside a transaction is kept only once that transaction has committed: it may
hold the transaction's own writes, which a rollback (of a failed request, or of a test)
takes away.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from functools import partial
from typing import Any, Generic, TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_migrate, post_save

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ProcessCache(Generic[K, V]):
    """Values by key for `seconds`, dropped when any of `models` changes here. Thread-safe.

    Values are shared by every thread of the process: treat them as read-only.
    """

    def __init__(
        self,
        *,
        seconds: float,
        models: Iterable[type[Model]],
        max_entries: int = 1000,
    ) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        #: Moves on every change, so that a value read before it is not kept after it.
        self._generation = 0
        self._lock = threading.Lock()
        # Weakly connected: the signals hold a cache only as long as its module (or test) does.
        for model in models:
            post_save.connect(self._forget_all, sender=model)
            post_delete.connect(self._forget_all, sender=model)
        # A flush (between tests, say) empties the tables without a signal per row.
        post_migrate.connect(self._forget_all)

    def get(self, key: K, load: Callable[[], V]) -> V:
        """The value kept under `key`, or `load()`'s, kept from now (or from the commit) on."""
        with self._lock:
            entry = self._entries.get(key)
            generation = self._generation
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        value = load()
        transaction.on_commit(partial(self._keep, key, value, generation))
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def _keep(self, key: K, value: V, generation: int) -> None:
        if connection.in_atomic_block:
            # Run inside a transaction that is still open (tests capturing commit
            # callbacks): nothing was committed, so nothing is kept.
            return
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # keys come from callers: never let them grow unbounded
            self._entries[key] = (time.monotonic() + self.seconds, value)

    def _forget_all(self, **_signal_arguments: Any) -> None:
        self.clear()
