"""The database task queue keeps finished tasks' rows only as long as someone may need them,
and its table is vacuumed so that claims do not walk over dead index entries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cityhall.core import tasks
from cityhall.core.tasks import (
    FAILED_RESULTS_KEPT,
    SUCCESSFUL_RESULTS_KEPT,
    clean_up_task_queue,
    purge_finished_task_results,
    vacuum_task_queue,
)

pytestmark = pytest.mark.django_db


def _task_row(status: str, *, finished_ago: timedelta | None) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="cityhall.servicerequests.tasks.follow_up_submission",
        backend_name="default",
        run_after=now,
        finished_at=None if finished_ago is None else now - finished_ago,
    )


def test_successful_tasks_are_purged_once_their_results_are_old():
    old = _task_row(TaskResultStatus.SUCCESSFUL, finished_ago=SUCCESSFUL_RESULTS_KEPT * 2)
    recent = _task_row(TaskResultStatus.SUCCESSFUL, finished_ago=SUCCESSFUL_RESULTS_KEPT / 2)

    assert purge_finished_task_results(now=timezone.now()) == 1
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [recent.id]
    assert not DBTaskResult.objects.filter(id=old.id).exists()


def test_failed_tasks_are_kept_longer_for_someone_to_look_into():
    failed = _task_row(TaskResultStatus.FAILED, finished_ago=SUCCESSFUL_RESULTS_KEPT * 2)
    expired = _task_row(TaskResultStatus.FAILED, finished_ago=FAILED_RESULTS_KEPT * 2)

    assert purge_finished_task_results(now=timezone.now()) == 1
    assert list(DBTaskResult.objects.values_list("id", flat=True)) == [failed.id]
    assert not DBTaskResult.objects.filter(id=expired.id).exists()


def test_queued_and_running_tasks_are_never_purged():
    long_ago = timezone.now() - FAILED_RESULTS_KEPT * 10
    queued = _task_row(TaskResultStatus.READY, finished_ago=None)
    running = _task_row(TaskResultStatus.RUNNING, finished_ago=None)
    DBTaskResult.objects.update(enqueued_at=long_ago, started_at=long_ago)

    assert purge_finished_task_results(now=timezone.now() + FAILED_RESULTS_KEPT * 10) == 0
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {queued.id, running.id}


def test_a_large_purge_is_done_in_batches(monkeypatch):
    monkeypatch.setattr(tasks, "PURGE_BATCH", 2)
    for _ in range(5):
        _task_row(TaskResultStatus.SUCCESSFUL, finished_ago=SUCCESSFUL_RESULTS_KEPT * 2)

    assert purge_finished_task_results(now=timezone.now()) == 5
    assert not DBTaskResult.objects.exists()


def test_the_task_cleans_up_the_queue_and_says_how_many_rows_it_purged():
    _task_row(TaskResultStatus.SUCCESSFUL, finished_ago=SUCCESSFUL_RESULTS_KEPT * 2)

    assert clean_up_task_queue.call() == 1
    assert not DBTaskResult.objects.exists()


def test_the_queue_is_not_vacuumed_inside_a_transaction():
    assert vacuum_task_queue() is False


@pytest.mark.django_db(transaction=True)
def test_the_queue_table_is_vacuumed_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite's indexes keep no dead entries")

    assert vacuum_task_queue() is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
            [DBTaskResult._meta.db_table],
        )
        assert cursor.fetchone()[0] is not None


def test_the_queue_table_is_vacuumed_after_a_few_thousand_changes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite has no autovacuum to tune")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s", [DBTaskResult._meta.db_table]
        )
        options = set(cursor.fetchone()[0] or [])

    assert {
        "autovacuum_vacuum_scale_factor=0",
        "autovacuum_vacuum_threshold=2000",
        "vacuum_index_cleanup=on",
    } <= options
