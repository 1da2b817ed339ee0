"""Enqueue the periodic jobs of config/schedule.py when their minute comes, once per minute
however many schedulers run.

Each due job is claimed by inserting its `ScheduledRun` row (job, minute), unique in the
database, and enqueued in the same transaction:

- With the database task backend the task's row is written in that transaction too, so the
  claim and the job commit together: exactly once. A scheduler that dies before the commit
  leaves neither, and another scheduler's insert, which waited on the same unique key (a
  PostgreSQL row lock, SQLite's single writer), then succeeds and enqueues the job.
- With RQ the job reaches Redis before the claim commits. A scheduler that dies before its
  enqueue loses nothing (its claim rolls back and another scheduler takes the minute); one
  that dies in the moment between the enqueue and the commit lets another scheduler enqueue
  the same job again. A duplicate sweep does nothing twice, because the periodic jobs claim
  the rows they work on (decision 15); a lost one would wait a whole period (a day for the
  digests). Committing the claim first would trade that rare duplicate for a rare loss.

A PostgreSQL advisory lock would serve only one of the two databases the platform runs on;
the unique row works on both and leaves a log of what ran. Rows older than RUNS_KEPT are
deleted as each minute is handled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from croniter import croniter
from django.db import DatabaseError, IntegrityError, transaction

from cityhall.core.models import ScheduledRun
from config.schedule import Periodic

logger = logging.getLogger(__name__)

#: How long a run's row is kept: far longer than schedulers' clocks may differ, so that a
#: scheduler running behind still finds the rows of the minutes another one handled.
RUNS_KEPT = timedelta(days=2)


def due_jobs(schedule: Sequence[Periodic], minute: datetime) -> list[Periodic]:
    """The entries whose cron expression matches `minute` (an aware local datetime)."""
    return [entry for entry in schedule if croniter.match(entry.cron, minute)]


def enqueue_due_jobs(schedule: Sequence[Periodic], minute: datetime) -> int:
    """Enqueue every job due at `minute` that no scheduler has enqueued for it yet; returns
    how many this call enqueued.

    A job that fails to enqueue does not stop the others, and leaves its minute unclaimed.
    """
    enqueued = 0
    for entry in due_jobs(schedule, minute):
        try:
            is_enqueued = _enqueue_once(entry, minute)
        except Exception:  # a broken queue must not stop the other jobs from running
            logger.exception("could not enqueue %s", entry.job)
            continue
        enqueued += is_enqueued
    try:
        ScheduledRun.objects.filter(slot__lt=minute - RUNS_KEPT).delete()
    except DatabaseError:  # the next minute deletes them
        logger.exception("could not delete old scheduled runs")
    return enqueued


def _enqueue_once(entry: Periodic, minute: datetime) -> bool:
    """Claim `entry`'s run for `minute` and enqueue it, both or neither; False when another
    scheduler holds the claim."""
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the transaction survives a lost claim
                ScheduledRun.objects.create(job=entry.job, slot=minute)
        except IntegrityError:
            return False
        entry.task.enqueue(*entry.args)
    return True
