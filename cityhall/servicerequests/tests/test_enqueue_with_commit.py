"""A task queued with a filing runs only if the filing commits; a queue that is down after the
commit does not turn a stored filing into an error."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend
from redis.exceptions import ConnectionError as RedisConnectionError

from cityhall.servicerequests.tasks import enqueue_with_commit


@dataclass
class QueueAfterCommit:
    """A task on a backend that cannot join the transaction; `fail` makes its queue unreachable."""

    fail: bool = False
    queued: list[tuple[Any, ...]] = field(default_factory=list)
    name: str = "follow_up_submission"

    def get_backend(self) -> ImmediateBackend:
        return ImmediateBackend(alias="default", params={})

    def enqueue(self, *args: Any) -> None:
        if self.fail:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        self.queued.append(args)


@pytest.mark.django_db(transaction=True)
def test_the_task_is_queued_once_the_transaction_commits():
    task = QueueAfterCommit()
    with transaction.atomic():
        enqueue_with_commit(task, 7)  # type: ignore[arg-type]
        assert task.queued == []

    assert task.queued == [(7,)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_filing_queues_nothing():
    task = QueueAfterCommit()

    def failed_filing() -> None:
        with transaction.atomic():
            enqueue_with_commit(task, 7)  # type: ignore[arg-type]
            raise RuntimeError("the filing failed")

    with pytest.raises(RuntimeError):
        failed_filing()

    assert task.queued == []


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_queue_is_logged_not_raised_after_the_commit(caplog):
    task = QueueAfterCommit(fail=True)
    with caplog.at_level(logging.ERROR), transaction.atomic():
        enqueue_with_commit(task, 7)  # type: ignore[arg-type]

    assert "Error calling enqueue follow_up_submission(7,)" in caplog.text
