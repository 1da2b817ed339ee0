"""Enqueue the periodic jobs of config/schedule.py when their minute comes."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from croniter import croniter

from config.schedule import Periodic

logger = logging.getLogger(__name__)


def due_jobs(schedule: Sequence[Periodic], minute: datetime) -> list[Periodic]:
    """The entries whose cron expression matches `minute` (an aware local datetime)."""
    return [entry for entry in schedule if croniter.match(entry.cron, minute)]


def enqueue_due_jobs(schedule: Sequence[Periodic], minute: datetime) -> int:
    """Enqueue every job due at `minute`; a job that fails to enqueue does not stop the others."""
    enqueued = 0
    for entry in due_jobs(schedule, minute):
        try:
            entry.task.enqueue(*entry.args)
        except Exception:  # a broken queue must not stop the other jobs from running
            logger.exception("could not enqueue %s", entry.task.name)
            continue
        enqueued += 1
    return enqueued
