"""Upkeep of the database task queue (django-tasks-db), run from config/schedule.py.

Every task the database backend runs leaves its row behind, finished. Kept forever, those rows
make every vacuum of the queue's table slower (it scans each index whole), until vacuums no
longer keep up and claiming the next task walks over ever more dead index entries
(docs/decisions/0016). Nothing in CityHall reads a finished task's result: a task's effects
(duplicate candidates, delivery logs, audit lines) are stored by the domains themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

#: How long a successful task's row is kept (for the admin's recent history).
SUCCESSFUL_RESULTS_KEPT = timedelta(hours=1)
#: How long a failed task's row is kept, with its traceback, for someone to look into it.
FAILED_RESULTS_KEPT = timedelta(days=7)
#: Rows one DELETE removes, so that no purge holds locks or a transaction for long.
PURGE_BATCH = 5_000


@task()
def purge_finished_task_results() -> int:
    """Delete the rows of tasks that finished long enough ago; returns how many."""
    return purge_finished_task_results_now()


def purge_finished_task_results_now(*, now: datetime | None = None) -> int:
    """Delete successful task rows older than SUCCESSFUL_RESULTS_KEPT and failed ones older
    than FAILED_RESULTS_KEPT, PURGE_BATCH at a time; returns how many were deleted.

    Queued and running tasks are never touched.
    """
    now = now or timezone.now()
    finished = Q(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - SUCCESSFUL_RESULTS_KEPT
    ) | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_RESULTS_KEPT)
    deleted = 0
    while True:
        batch = list(
            DBTaskResult.objects.filter(finished)
            .order_by()
            .values_list("id", flat=True)[:PURGE_BATCH]
        )
        if not batch:
            return deleted
        deleted += DBTaskResult.objects.filter(id__in=batch).delete()[0]
