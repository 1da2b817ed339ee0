"""Schedulers running side by side enqueue each due job once per minute (PostgreSQL pass).

Two real `manage.py run_scheduler` processes handle the same hour of minutes at the same
moment against the test database, with the database task backend and with RQ; every job due
in a minute is enqueued exactly once, whichever scheduler claimed it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cityhall.core.models import ScheduledRun
from cityhall.core.scheduling import due_jobs
from cityhall.core.testing import require_or_skip, server_is_listening
from config.schedule import SCHEDULE

ROOT = Path(__file__).resolve().parents[3]
SCHEDULERS = 2
#: An hour around a Monday 07:00, when both digests are due besides the frequent jobs.
FIRST_MINUTE = "2026-12-07T06:30"
MINUTES = 60
REDIS_URL = "redis://127.0.0.1:6379/13"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite serialises writers")
    database = connection.settings_dict
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def _expected_jobs() -> Counter[str]:
    first = timezone.make_aware(datetime.fromisoformat(FIRST_MINUTE))
    minutes = (timezone.localtime(first + timedelta(minutes=n)) for n in range(MINUTES))
    return Counter(entry.job for minute in minutes for entry in due_jobs(SCHEDULE, minute))


def _job(task_path: str, args: list[Any]) -> str:
    return f"{task_path}({', '.join(map(repr, args))})"


def _run_schedulers(*, database_url: str, tasks_backend: str) -> list[str]:
    env = {
        **{key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CITYHALL_ENV": "test",
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": tasks_backend,
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "locmem://",
        "CACHE_URL": "locmem://",
    }
    command = [sys.executable, "manage.py", "run_scheduler"]
    command += ["--from", FIRST_MINUTE, "--minutes", str(MINUTES)]
    schedulers = [
        subprocess.Popen(  # noqa: S603 (fixed arguments)
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(SCHEDULERS)
    ]
    try:
        outputs = [scheduler.communicate(timeout=300) for scheduler in schedulers]
    finally:
        for scheduler in schedulers:  # none outlives a failed test
            scheduler.kill()
            scheduler.wait()
    assert [scheduler.returncode for scheduler in schedulers] == [0] * SCHEDULERS, outputs
    return [stdout for stdout, _stderr in outputs]


def _enqueued_by(outputs: list[str]) -> int:
    return sum(int(line.split()[-2]) for output in outputs for line in output.splitlines())


def test_two_schedulers_on_the_database_backend_enqueue_each_job_once(database_url):
    outputs = _run_schedulers(database_url=database_url, tasks_backend="database")

    enqueued = Counter(
        _job(result.task_path, result.args_kwargs["args"]) for result in DBTaskResult.objects.all()
    )
    assert enqueued == _expected_jobs()
    assert ScheduledRun.objects.count() == _enqueued_by(outputs) == enqueued.total()


@pytest.mark.redis
def test_two_schedulers_on_rq_enqueue_each_job_once(database_url):
    require_or_skip(server_is_listening("127.0.0.1", 6379), "Redis is not listening on 6379")
    from redis import Redis
    from rq import Queue

    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    try:
        outputs = _run_schedulers(database_url=database_url, tasks_backend="rq")

        jobs = [
            job
            for name in ("default", "email", "notifications")
            for job in Queue(name, connection=redis).get_jobs()
        ]
    finally:
        redis.flushdb()
    enqueued = Counter(_job(str(job.func_name), list(job.args)) for job in jobs)
    assert enqueued == _expected_jobs()
    assert ScheduledRun.objects.count() == _enqueued_by(outputs) == enqueued.total()
