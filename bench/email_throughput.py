"""Email throughput of one notifications worker: messages per second and end-to-end delay.

Run: .venv/bin/python bench/email_throughput.py [--count N] [--recipients R] [--batch-size B]

Builds a throw-away SQLite database in a temporary directory and starts an SMTP sink (aiosmtpd)
on 127.0.0.1 in a separate process, so that the sink's parsing does not share this process's
interpreter lock. Then:

1. queues N email notifications with `notify` (R recipients, one event each) without running
   their tasks, as the web processes and other domains would;
2. runs them the way one worker process does, on one reused SMTP connection: with
   `--batch-size 1`, one `deliver` per email (the `deliver_notification` task: claim, load,
   send, record); otherwise `deliver_many` per batch (the `deliver_notifications` task that
   `retry_due_deliveries` queues: one claim and one load per batch, a bulk record).

Prints the queueing rate, the worker's messages per second, and p50/p99 of two delays: from
the notification being recorded to the sink receiving the message (includes waiting behind
the backlog), and from the worker taking the delivery to the sink receiving it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import socket
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def run_sink(port: int, pipe: Connection) -> None:
    """The SMTP sink process: records when each Message-ID arrived, reports them on request."""
    from aiosmtpd.controller import Controller

    arrivals: dict[str, float] = {}

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            match = MESSAGE_ID.search(envelope.content)
            if match:
                arrivals[match.group(1).decode()] = time.time()
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    pipe.recv()  # "stop"
    controller.stop()
    pipe.send(arrivals)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def set_up_django(directory: Path, smtp_port: int) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # Recorded, not run: the worker loop below runs the deliveries.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "email", "notifications"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    call_command("migrate", verbosity=0)


def queue_notifications(count: int, recipients: int) -> float:
    """Record `count` email notifications; returns the seconds it took."""
    from cityhall.accounts.models import User
    from cityhall.notifications.models import Preference, Template
    from cityhall.notifications.services import notify

    Template.objects.create(
        code="request-closed",
        topic="my_requests",
        language="en",
        subject="Your request {{ number }} is closed",
        body="Hello {{ name }},\n\nYour request {{ number }} is closed. Thank you.",
        variables=["name", "number"],
    )
    users = [
        User.objects.create(email=f"person{index}@example.org", full_name=f"Person {index}")
        for index in range(recipients)
    ]
    Preference.objects.bulk_create(
        Preference(user=user, topic="my_requests", channel="in_app", is_enabled=False)
        for user in users
    )
    started = time.perf_counter()
    for index in range(count):
        notify(
            recipient=users[index % recipients],
            topic="my_requests",
            template="request-closed",
            context={"name": f"Person {index % recipients}", "number": f"311-{index}"},
            event_key=f"request:{index}:closed",
        )
    return time.perf_counter() - started


def run_worker(batch_size: int) -> tuple[float, dict[int, float]]:
    """Deliver every queued delivery in order; returns the seconds taken and claim times."""
    from cityhall.notifications.channels.email import EmailChannel
    from cityhall.notifications.delivery import deliver, deliver_many
    from cityhall.notifications.models import Delivery

    channel = EmailChannel()
    ids = list(Delivery.objects.order_by("id").values_list("id", flat=True))
    taken: dict[int, float] = {}
    started = time.perf_counter()
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        now = time.time()
        taken.update(dict.fromkeys(batch, now))
        if batch_size == 1:
            deliver(batch[0], channel=channel)
        else:
            deliver_many(batch, channels={"email": channel})
    elapsed = time.perf_counter() - started
    channel.close()
    return elapsed, taken


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(
    count: int,
    queue_seconds: float,
    worker_seconds: float,
    arrivals: dict[str, float],
    taken: dict[int, float],
) -> None:
    from cityhall.notifications.models import Delivery

    rows = Delivery.objects.values_list("id", "provider_message_id", "notification__created_at")
    end_to_end, send = [], []
    for delivery_id, message_id, created_at in rows:
        arrived = arrivals.get(message_id)
        if arrived is not None:
            end_to_end.append(arrived - created_at.timestamp())
            send.append(arrived - taken[delivery_id])
    sent = Delivery.objects.filter(status="sent").count()
    print(f"emails: {count} queued, {sent} sent, {len(arrivals)} received by the sink")
    print(f"queueing (notify): {count / queue_seconds:,.0f} notifications/s")
    print(f"worker: {sent / worker_seconds:,.0f} emails/s ({worker_seconds:.2f} s, one process)")
    for label, values in (("notify → sink", end_to_end), ("worker took it → sink", send)):
        if values:
            print(
                f"{label}: p50 {statistics.median(values) * 1000:,.1f} ms, "
                f"p99 {percentile(values, 0.99) * 1000:,.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20_000, help="emails to send")
    parser.add_argument("--recipients", type=int, default=1_000, help="distinct recipients")
    parser.add_argument("--batch-size", type=int, default=100, help="1: one task per email")
    arguments = parser.parse_args()

    port = free_port()
    here, there = multiprocessing.Pipe()
    sink = multiprocessing.Process(target=run_sink, args=(port, there), daemon=True)
    sink.start()
    assert here.recv() == "ready"
    with tempfile.TemporaryDirectory() as directory:
        set_up_django(Path(directory), port)
        queue_seconds = queue_notifications(
            arguments.count, min(arguments.recipients, arguments.count)
        )
        worker_seconds, taken = run_worker(max(arguments.batch_size, 1))
        here.send("stop")
        arrivals: dict[str, float] = here.recv()
        sink.join(timeout=10)
        report(arguments.count, queue_seconds, worker_seconds, arrivals, taken)


if __name__ == "__main__":
    main()
