"""Upkeep of the database task queue (django-tasks-db), run from config/schedule.py.

Every task the database backend runs leaves its row behind, finished, and each claim leaves a
dead entry at the head of the queue's index of ready tasks, which every later claim walks over
until a vacuum removes it (docs/decisions/0016). Nothing in CityHall reads a finished task's
result: a task's effects (duplicate candidates, delivery logs, audit lines) are stored by the
domains themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from cityhall.core import audit_chain

#: How long a successful task's row is kept (for the admin's recent history).
SUCCESSFUL_RESULTS_KEPT = timedelta(hours=1)
#: How long a failed task's row is kept, with its traceback, for someone to look into it.
FAILED_RESULTS_KEPT = timedelta(days=7)
#: Rows one DELETE removes, so that no purge holds locks or a transaction for long.
PURGE_BATCH = 5_000


@task()
def clean_up_task_queue() -> int:
    """Purge the rows of tasks finished long enough ago, then vacuum the queue's table;
    returns how many rows were purged."""
    purged = purge_finished_task_results(now=timezone.now())
    vacuum_task_queue()
    return purged


def purge_finished_task_results(*, now: datetime) -> int:
    """Delete successful task rows older than SUCCESSFUL_RESULTS_KEPT and failed ones older
    than FAILED_RESULTS_KEPT, PURGE_BATCH at a time; returns how many were deleted.

    Queued and running tasks are never touched.
    """
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


def vacuum_task_queue() -> bool:
    """VACUUM the queue's table on PostgreSQL, indexes included; True if it was vacuumed.

    Autovacuum does it too where it runs (migration core/0003 makes it prompt), but servers
    may run without it. Nothing to do on SQLite, whose indexes drop deleted entries at once,
    nor inside a transaction, where PostgreSQL refuses VACUUM.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (INDEX_CLEANUP ON) {table}")
    return True


@task()
def seal_audit_log() -> int:
    """Seal the audit lines written since the last run into the hash chain; returns how many
    (docs/decisions/0019)."""
    return audit_chain.seal_audit_log()
