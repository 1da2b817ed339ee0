"""Queue a task once the current transaction commits, without failing committed work.

With a queue outside the database (RQ on Redis) a task can only be queued after the commit.
If the queue cannot be reached at that moment, the work it stands for is already committed:
turning that into an error would tell a citizen their filing failed when it is stored. So the
failure is logged with its traceback, and the caller's scheduled sweep queues the work again.
Use this only for tasks that such a sweep covers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task


def enqueue_after_commit(task: Task[Any, Any], *args: Any) -> None:
    """Queue `task(*args)` when the current transaction commits (at once outside one); a
    failure to reach the queue is logged, not raised."""

    def enqueue() -> None:
        task.enqueue(*args)

    # Named after the task: Django's log of a failed hook names the function it called.
    enqueue.__qualname__ = f"enqueue {task.name}{args!r}"
    transaction.on_commit(enqueue, robust=True)
