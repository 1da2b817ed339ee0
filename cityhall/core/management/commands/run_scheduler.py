"""`manage.py run_scheduler`: enqueue the jobs of config/schedule.py, minute by minute."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cityhall.core.scheduling import enqueue_due_jobs
from config.schedule import SCHEDULE


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (run exactly one per deployment)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Handle the current minute, then exit."
        )

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        minute = timezone.localtime().replace(second=0, microsecond=0)
        while self.running:
            count = enqueue_due_jobs(SCHEDULE, minute)
            if count:
                self.stdout.write(f"{minute:%Y-%m-%d %H:%M}: enqueued {count} job(s)")
            if once:
                return
            minute += timedelta(minutes=1)
            # Sleep in short steps so that a stop signal is honoured quickly.
            while self.running and timezone.localtime() < minute:
                time.sleep(0.5)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.running = False
