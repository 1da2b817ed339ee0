"""Periodic jobs are enqueued when their cron expression matches, from one table."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter
from django.core.management import call_command

from cityhall.core.scheduling import due_jobs, enqueue_due_jobs
from config.schedule import SCHEDULE, Periodic

MONTREAL = ZoneInfo("America/Toronto")


def test_every_entry_has_a_valid_cron_and_a_reason():
    for entry in SCHEDULE:
        assert croniter.is_valid(entry.cron), entry
        assert len(entry.why) > 20


def test_only_the_matching_entries_are_due():
    monday_seven = datetime(2026, 11, 23, 7, 0, tzinfo=MONTREAL)
    tuesday_seven = datetime(2026, 11, 24, 7, 0, tzinfo=MONTREAL)
    tuesday_later = datetime(2026, 11, 24, 7, 1, tzinfo=MONTREAL)

    every_minute = sum(entry.cron == "* * * * *" for entry in SCHEDULE)

    assert len(due_jobs(SCHEDULE, monday_seven)) == every_minute + 2
    assert [entry.args for entry in due_jobs(SCHEDULE, tuesday_seven)] == [()] * every_minute + [
        ("daily",)
    ]
    assert len(due_jobs(SCHEDULE, tuesday_later)) == every_minute


class _FailingTask:
    name = "broken"

    def enqueue(self, *args):
        raise ConnectionError("queue down")


class _RecordingTask:
    name = "recording"

    def __init__(self):
        self.calls = []

    def enqueue(self, *args):
        self.calls.append(args)


def test_a_job_that_cannot_be_enqueued_does_not_stop_the_others():
    recording = _RecordingTask()
    schedule = [
        Periodic(task=_FailingTask(), cron="* * * * *", why="fails to reach its queue every time"),
        Periodic(task=recording, cron="* * * * *", args=("x",), why="records that it was enqueued"),
    ]

    count = enqueue_due_jobs(schedule, datetime(2026, 1, 1, 0, 0, tzinfo=MONTREAL))

    assert count == 1
    assert recording.calls == [("x",)]


@pytest.mark.django_db
def test_the_scheduler_runs_the_current_minute_once(capsys):
    call_command("run_scheduler", "--once")

    assert "enqueued" in capsys.readouterr().out
