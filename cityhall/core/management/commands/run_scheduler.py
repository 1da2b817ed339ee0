"""`manage.py run_scheduler`: enqueue the jobs of config/schedule.py, minute by minute."""

from __future__ import annotations

import signal
import time
from argparse import ArgumentTypeError
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from cityhall.core.scheduling import enqueue_due_jobs
from config.schedule import SCHEDULE


def _minute(value: str) -> datetime:
    """A minute given as YYYY-MM-DDTHH:MM, in the city's time zone unless it names one."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise ArgumentTypeError(f"not a minute (YYYY-MM-DDTHH:MM): {value!r}") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).replace(second=0, microsecond=0)


class Command(BaseCommand):
    help = (
        "Enqueue periodic jobs when they are due. Run two or more per deployment for"
        " availability: each job is enqueued once per minute, whichever scheduler gets there first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Handle the current minute, then exit."
        )
        parser.add_argument(
            "--from",
            dest="first",
            type=_minute,
            help=(
                "Handle the minutes from this one (YYYY-MM-DDTHH:MM) at once, then exit: to"
                " catch up after an outage (minutes already handled are skipped) or in tests."
            ),
        )
        parser.add_argument(
            "--minutes", type=int, default=1, help="With --from: how many minutes to handle."
        )

    def handle(
        self,
        *args: Any,
        once: bool = False,
        first: datetime | None = None,
        minutes: int = 1,
        **options: Any,
    ) -> None:
        if first is not None:
            for offset in range(minutes):
                self._handle_minute(first + timedelta(minutes=offset))
            return
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        minute = timezone.localtime().replace(second=0, microsecond=0)
        while self.running:
            self._handle_minute(minute)
            if once:
                return
            minute += timedelta(minutes=1)
            # Sleep in short steps so that a stop signal is honoured quickly.
            while self.running and timezone.localtime() < minute:
                time.sleep(0.5)
            # No request recycles this process's connection: drop one an outage broke.
            close_old_connections()

    def _handle_minute(self, minute: datetime) -> None:
        count = enqueue_due_jobs(SCHEDULE, minute)
        if count:
            self.stdout.write(f"{minute:%Y-%m-%d %H:%M}: enqueued {count} job(s)")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
