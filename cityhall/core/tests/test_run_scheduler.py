"""Periodic jobs are enqueued when their cron expression matches, from one table, once a minute
however many schedulers handle that minute."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cityhall.core.models import ScheduledRun
from cityhall.core.scheduling import RUNS_KEPT, due_jobs, enqueue_due_jobs
from config.schedule import SCHEDULE, Periodic

MONTREAL = ZoneInfo("America/Toronto")
NEW_YEAR = datetime(2026, 1, 1, 0, 0, tzinfo=MONTREAL)


def test_every_entry_has_a_valid_cron_and_a_reason():
    for entry in SCHEDULE:
        assert croniter.is_valid(entry.cron), entry
        assert len(entry.why) > 20


def test_every_job_has_its_own_name_that_fits_the_run_log():
    jobs = [entry.job for entry in SCHEDULE]

    assert len(set(jobs)) == len(jobs)
    assert max(map(len, jobs)) <= (ScheduledRun._meta.get_field("job").max_length or 0)
    assert "cityhall.notifications.tasks.send_digests('weekly')" in jobs


def test_only_the_matching_entries_are_due():
    monday_seven = datetime(2026, 11, 23, 7, 0, tzinfo=MONTREAL)
    tuesday_seven = datetime(2026, 11, 24, 7, 0, tzinfo=MONTREAL)
    tuesday_later = datetime(2026, 11, 24, 7, 1, tzinfo=MONTREAL)

    every_minute = sum(entry.cron == "* * * * *" for entry in SCHEDULE)
    every_even_minute = sum(entry.cron == "*/2 * * * *" for entry in SCHEDULE)

    assert len(due_jobs(SCHEDULE, monday_seven)) == every_minute + every_even_minute + 2
    assert sorted(entry.args for entry in due_jobs(SCHEDULE, tuesday_seven)) == sorted(
        [()] * (every_minute + every_even_minute) + [("daily",)]
    )
    assert len(due_jobs(SCHEDULE, tuesday_later)) == every_minute


class _FailingTask:
    name = "broken"
    module_path = "tests.broken"

    def enqueue(self, *args):
        raise ConnectionError("queue down")


class _RecordingTask:
    name = "recording"
    module_path = "tests.recording"

    def __init__(self):
        self.calls = []

    def enqueue(self, *args):
        self.calls.append(args)


def _every_minute(task, *args):
    return Periodic(task=task, cron="* * * * *", args=args, why="records that it was enqueued")


@pytest.mark.django_db
def test_a_job_that_cannot_be_enqueued_does_not_stop_the_others():
    recording = _RecordingTask()
    schedule = [_every_minute(_FailingTask()), _every_minute(recording, "x")]

    count = enqueue_due_jobs(schedule, NEW_YEAR)

    assert count == 1
    assert recording.calls == [("x",)]


@pytest.mark.django_db
def test_a_minute_handled_twice_enqueues_its_jobs_once():
    recording = _RecordingTask()
    schedule = [_every_minute(recording)]

    counts = [enqueue_due_jobs(schedule, NEW_YEAR) for _ in range(2)]

    assert counts == [1, 0]
    assert recording.calls == [()]
    assert ScheduledRun.objects.get().job == "tests.recording()"


@pytest.mark.django_db
def test_the_same_task_with_other_arguments_is_another_job():
    recording = _RecordingTask()
    schedule = [_every_minute(recording, "daily"), _every_minute(recording, "weekly")]

    count = enqueue_due_jobs(schedule, NEW_YEAR)

    assert count == 2
    assert recording.calls == [("daily",), ("weekly",)]


@pytest.mark.django_db
def test_a_job_that_failed_to_enqueue_is_left_to_the_next_scheduler():
    recording = _RecordingTask()
    failing = _FailingTask()
    failing.module_path = recording.module_path

    enqueue_due_jobs([_every_minute(failing)], NEW_YEAR)
    count = enqueue_due_jobs([_every_minute(recording)], NEW_YEAR)

    assert count == 1
    assert recording.calls == [()]


@pytest.mark.django_db
def test_runs_are_forgotten_once_older_than_the_retention():
    schedule = [_every_minute(_RecordingTask())]
    enqueue_due_jobs(schedule, NEW_YEAR)
    enqueue_due_jobs(schedule, NEW_YEAR + RUNS_KEPT)

    enqueue_due_jobs(schedule, NEW_YEAR + RUNS_KEPT + timedelta(minutes=1))

    assert [run.slot for run in ScheduledRun.objects.order_by("slot")] == [
        NEW_YEAR + RUNS_KEPT,
        NEW_YEAR + RUNS_KEPT + timedelta(minutes=1),
    ]


@pytest.mark.django_db
def test_the_scheduler_runs_the_current_minute_once(capsys):
    call_command("run_scheduler", "--once")

    assert "enqueued" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_scheduler_handles_given_minutes_at_once_and_skips_those_handled(settings, capsys):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "email", "notifications"],
        }
    }
    every_minute = sum(entry.cron == "* * * * *" for entry in SCHEDULE)
    at_seven = every_minute + sum(entry.cron == "*/2 * * * *" for entry in SCHEDULE) + 2

    call_command("run_scheduler", "--from", "2026-11-23T06:59", "--minutes", "2")
    call_command("run_scheduler", "--from", "2026-11-23T07:00")

    assert capsys.readouterr().out.splitlines() == [
        f"2026-11-23 06:59: enqueued {every_minute} job(s)",
        f"2026-11-23 07:00: enqueued {at_seven} job(s)",
    ]
    assert DBTaskResult.objects.count() == every_minute + at_seven
