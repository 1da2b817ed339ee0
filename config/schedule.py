"""Every periodic job, in one table, served by `manage.py run_scheduler`.

Each entry names the task, when it runs (cron syntax, in the city's time zone) and why.
Any number of schedulers may run (two or more for availability): each job is enqueued once per
minute it is due, by whichever scheduler claims that minute first (core.scheduling). The jobs
themselves run on the task workers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from cityhall.alerts.expiry_tasks import expire_ended_alerts
from cityhall.alerts.upstream import poll_upstream_feeds
from cityhall.appointments.tasks import expire_lapsed_holds, send_due_appointment_reminders
from cityhall.core.tasks import clean_up_task_queue, seal_audit_log
from cityhall.integrations.tasks import retry_due_webhook_deliveries
from cityhall.notifications.tasks import retry_due_deliveries, send_digests
from cityhall.privacy.retention_tasks import apply_retention_rules
from cityhall.privacy.tasks import carry_out_due_closures, sweep_data_exports
from cityhall.servicerequests.tasks import (
    check_service_levels,
    clean_photos_left_waiting,
    follow_up_filings_left_waiting,
)


class Enqueueable(Protocol):
    """What the scheduler needs of a task: its name and a way to enqueue it."""

    @property
    def name(self) -> str: ...

    @property
    def module_path(self) -> str: ...

    def enqueue(self, *args: Any) -> Any: ...


@dataclass(frozen=True)
class Periodic:
    """One periodic job: enqueue `task(*args)` whenever `cron` matches the minute."""

    task: Enqueueable
    cron: str
    why: str
    args: tuple[Any, ...] = field(default=())

    @property
    def job(self) -> str:
        """The job's identity in the run log: the task's import path called with its arguments."""
        return f"{self.task.module_path}({', '.join(map(repr, self.args))})"


SCHEDULE = [
    Periodic(
        task=retry_due_deliveries,
        cron="* * * * *",
        why="deliveries held by quiet hours or a temporary failure go out when they are due",
    ),
    Periodic(
        task=check_service_levels,
        cron="* * * * *",
        why="assignees hear at 80% of a request's SLA and supervisors at breach, once each",
    ),
    Periodic(
        task=follow_up_filings_left_waiting,
        cron="* * * * *",
        why="a filing whose follow-up task was lost still gets its duplicates and confirmation",
    ),
    Periodic(
        task=clean_photos_left_waiting,
        cron="5,20,35,50 * * * *",
        why="a photo whose cleaning task was lost is cleaned (or rejected) within the hour",
    ),
    Periodic(
        task=retry_due_webhook_deliveries,
        cron="* * * * *",
        why="webhook deliveries that failed, or whose worker died, are retried when due",
    ),
    Periodic(
        task=apply_retention_rules,
        cron="45 3 * * *",
        why="personal data past its retention period (PRIVACY_RETENTION_MONTHS) is deleted or "
        "anonymised, the webhook delivery log included",
    ),
    Periodic(
        task=clean_up_task_queue,
        cron="* * * * *",
        why="the database task queue is purged and vacuumed, so that claims stay fast",
    ),
    Periodic(
        task=seal_audit_log,
        cron="* * * * *",
        why="audit lines are sealed into the hash chain within a minute of being written",
    ),
    Periodic(
        task=expire_ended_alerts,
        cron="* * * * *",
        why="alerts past their expiry leave the feeds, the banner and the emergency page",
    ),
    Periodic(
        task=expire_lapsed_holds,
        cron="* * * * *",
        why="times held for bookings whose email was never confirmed are freed for others",
    ),
    Periodic(
        task=send_digests,
        args=("daily",),
        cron="0 7 * * *",
        why="citizens who chose a daily digest get one summary each morning",
    ),
    Periodic(
        task=send_digests,
        args=("weekly",),
        cron="0 7 * * 1",
        why="citizens who chose a weekly digest get one summary on Monday morning",
    ),
    Periodic(
        task=sweep_data_exports,
        cron="10 * * * *",
        why="copies of citizens' data are deleted when their link expires; lost builds are redone",
    ),
    Periodic(
        task=carry_out_due_closures,
        cron="20 * * * *",
        why="accounts whose confirmed closure's grace period is over are erased within the hour",
    ),
    Periodic(
        task=send_due_appointment_reminders,
        cron="3-59/5 * * * *",
        why="people are reminded of appointments the day before and two hours before (off the "
        "round minutes, where the digests and hourly sweeps fall)",
    ),
    Periodic(
        task=poll_upstream_feeds,
        cron="*/2 * * * *",
        why="alerts of upstream authorities (ALERTS_UPSTREAM_FEEDS) reach the officers within "
        "two minutes, to be re-broadcast locally",
    ),
]
