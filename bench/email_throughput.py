"""Email throughput of notifications workers: messages per second and end-to-end delay.

Run: .venv/bin/python bench/email_throughput.py [--count N] [--recipients R] [--workers 1,2]
     [--path default|per-email|batched] [--batch-size B] [--seed notify|bulk]
     [--email-rate-limit off|N/second]

For each number of workers in `--workers` (default: 1, then 2), in a process of its own:
builds a throw-away SQLite database in a temporary directory and starts the SMTP sink of
smtp_sink.py (PIPELINING, some 40 µs of CPU per message) on 127.0.0.1 in a separate process, so
that the sink neither shares a worker's interpreter lock nor becomes the limit. Then:

1. queues N email notifications (R recipients, one event each) without running their tasks, as
   the web processes and other domains would: with `notify` (`--seed notify`, the default), or,
   for large N, by writing the same rows in bulk (`--seed bulk`; the queueing rate is then not
   printed, since it is not notify's);
2. runs the queued tasks in the order they were queued, as W worker processes sharing one queue
   do (each with its own database and SMTP connection, kept open across tasks), calling what
   the task calls:
   - `--path default`: one `deliver_notification` task per email, as `notify` queues them; the
     task sends its delivery and the due ones queued after it (`deliver_with_followers`, up to
     FOLLOWERS_PER_CLAIM), and the followers' own tasks find them taken;
   - `--path per-email`: the same tasks sending one email each (`deliver`), for comparison;
   - `--path batched`: one `deliver_notifications` task per B ids (`deliver_many`), as
     `retry_due_deliveries` queues them.
   The task backend's own cost per task (storing and fetching the task row) is not included.
   The email channel's rate limit is off unless `--email-rate-limit` sets it (each worker
   then counts on its own: the cache is local memory).

Prints, per run: the queueing rate, the workers' messages per second (in all, and per worker),
the workers' and the sink's CPU per message, and p50/p99 of two delays: from the notification
being recorded to the sink receiving the message (includes waiting behind the whole backlog,
since everything is queued first), and from the worker taking the delivery to the sink
receiving it. Then how the rate grew from one worker to more, and the load average.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from cluster.processes import free_port  # noqa: E402 (needs the repository on the path)


def run_sink(port: int, pipe: Connection, key: re.Pattern[bytes] | None = None) -> None:
    """The SMTP sink process (smtp_sink.py): on "stop", sends back {Message-ID: arrival time}
    (or {first group of `key` in the headers: arrival time}) and the CPU seconds it used."""
    import asyncio

    from smtp_sink import MESSAGE_ID, serve

    arrivals: dict[str, float] = {}

    async def until_stopped() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_reader(pipe.fileno(), stop.set)
        await serve(
            port, arrivals, stop, listening=lambda: pipe.send("ready"), key=key or MESSAGE_ID
        )

    asyncio.run(until_stopped())
    pipe.recv()  # "stop"
    pipe.send((arrivals, time.process_time()))


def set_up_django(directory: Path, smtp_port: int, *, email_rate_limit: str) -> None:
    """Django on a new SQLite database in `directory`, sending to the sink on `smtp_port`.

    The email channel's limit (RATE_LIMITS["notifications.email"]) is `email_rate_limit`; the
    cache is each process's own local memory, so a limit applies to each worker on its own.
    """
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
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
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "notifications.email": email_rate_limit}
    call_command("migrate", verbosity=0)


TEMPLATE_SUBJECT = "Your request {{ number }} is closed"
TEMPLATE_BODY = "Hello {{ name }},\n\nYour request {{ number }} is closed. Thank you."


def create_recipients(recipients: int) -> list[Any]:
    """The template and `recipients` people who get request updates by email only."""
    from cityhall.accounts.models import User
    from cityhall.notifications.models import Preference, Template

    Template.objects.create(
        code="request-closed",
        topic="my_requests",
        language="en",
        subject=TEMPLATE_SUBJECT,
        body=TEMPLATE_BODY,
        variables=["name", "number"],
    )
    users = User.objects.bulk_create(
        User(email=f"person{index}@example.org", full_name=f"Person {index}")
        for index in range(recipients)
    )
    Preference.objects.bulk_create(
        Preference(user=user, topic="my_requests", channel="in_app", is_enabled=False)
        for user in users
    )
    return list(User.objects.order_by("id"))


def queue_with_notify(count: int, users: list[Any]) -> float:
    """Record `count` email notifications through `notify`; returns the seconds it took."""
    from cityhall.notifications.services import notify

    started = time.perf_counter()
    for index in range(count):
        notify(
            recipient=users[index % len(users)],
            topic="my_requests",
            template="request-closed",
            context={"name": f"Person {index % len(users)}", "number": f"311-{index}"},
            event_key=f"request:{index}:closed",
        )
    return time.perf_counter() - started


def queue_in_bulk(count: int, users: list[Any]) -> None:
    """Write the rows `notify` would write for `count` email notifications, in bulk."""
    from cityhall.notifications.models import Delivery, Notification
    from cityhall.notifications.services import render_text

    for start in range(0, count, 5_000):
        notifications, deliveries = [], []
        for index in range(start, min(start + 5_000, count)):
            user = users[index % len(users)]
            context = {"name": f"Person {index % len(users)}", "number": f"311-{index}"}
            subject, body = (
                render_text(TEMPLATE_SUBJECT, context),
                render_text(TEMPLATE_BODY, context),
            )
            notification = Notification(
                recipient=user,
                topic="my_requests",
                template_code="request-closed",
                event_key=f"request:{index}:closed",
                language="en",
                subject=subject,
                body=body,
            )
            notifications.append(notification)
            deliveries.append(
                Delivery(channel="email", address=user.email, subject=subject, body=body)
            )
        Notification.objects.bulk_create(notifications)
        for notification, delivery in zip(notifications, deliveries, strict=True):
            delivery.notification = notification
        Delivery.objects.bulk_create(deliveries)


def run_tasks(path: str, batch_size: int, tasks: list[list[int]], head: Any, results: Any) -> None:
    """One worker process: takes the next task from the shared queue until none is left.

    `head` is the shared index of the next task; reports (CPU seconds used, {delivery id: taken
    at}), the CPU time telling what a worker costs whatever else the machine is doing.
    """
    from django.db import connections

    from cityhall.notifications.channels.email import EmailChannel
    from cityhall.notifications.delivery import deliver, deliver_many, deliver_with_followers

    connections.close_all()  # the parent's connection must not be shared after fork
    channel = EmailChannel()
    channels = {"email": channel}
    taken: dict[int, float] = {}
    cpu_started = time.process_time()
    while True:
        with head.get_lock():
            index = head.value
            head.value += 1
        if index >= len(tasks):
            break
        now = time.time()
        if path == "default":
            handled = deliver_with_followers(tasks[index][0], channels=channels)
        elif path == "per-email":
            handled = [done] if (done := deliver(tasks[index][0], channel=channel)) else []
        else:
            handled = deliver_many(tasks[index], channels=channels)
        taken.update(dict.fromkeys((delivery.id for delivery in handled), now))
    cpu_seconds = time.process_time() - cpu_started
    channel.close()
    connections.close_all()
    results.put((cpu_seconds, taken))


def run_workers(path: str, batch_size: int, workers: int) -> tuple[float, float, dict[int, float]]:
    """Run the queued tasks with `workers` processes; returns the wall seconds, the workers' CPU
    seconds in all, and when each delivery was taken."""
    from django.db import connections

    from cityhall.notifications.models import Delivery

    ids = list(Delivery.objects.order_by("id").values_list("id", flat=True))
    size = batch_size if path == "batched" else 1
    tasks = [ids[start : start + size] for start in range(0, len(ids), size)]
    connections.close_all()
    context = multiprocessing.get_context("fork")
    head, results = context.Value("q", 0), context.Queue()
    processes = [
        context.Process(target=run_tasks, args=(path, batch_size, tasks, head, results))
        for _ in range(workers)
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    taken: dict[int, float] = {}
    cpu_seconds = 0.0
    for _ in processes:
        worker_cpu_seconds, worker_taken = results.get()
        cpu_seconds += worker_cpu_seconds
        taken.update(worker_taken)
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    return elapsed, cpu_seconds, taken


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass(frozen=True)
class Run:
    count: int
    workers: int
    #: None when the rows were written in bulk rather than through notify.
    queue_seconds: float | None
    worker_seconds: float
    worker_cpu_seconds: float
    sink_cpu_seconds: float


def report(run: Run, arrivals: dict[str, float], taken: dict[int, float]) -> float:
    """Print one run's figures; returns its emails per second in all."""
    from cityhall.notifications.models import Delivery

    rows = Delivery.objects.values_list("id", "provider_message_id", "notification__created_at")
    end_to_end, send = [], []
    for delivery_id, message_id, created_at in rows:
        arrived = arrivals.get(message_id)
        if arrived is not None:
            end_to_end.append(arrived - created_at.timestamp())
            send.append(arrived - taken[delivery_id])
    sent = Delivery.objects.filter(status="sent").count()
    count, workers, worker_seconds = run.count, run.workers, run.worker_seconds
    print(f"emails: {count} queued, {sent} sent, {len(arrivals)} received by the sink")
    if run.queue_seconds is not None:
        print(f"queueing (notify): {count / run.queue_seconds:,.0f} notifications/s")
    rate = sent / worker_seconds
    print(
        f"workers: {rate:,.0f} emails/s in all, {rate / workers:,.0f} per worker "
        f"({worker_seconds:.2f} s, {workers} process{'es' if workers > 1 else ''})"
    )
    print(
        f"worker CPU: {sent / run.worker_cpu_seconds:,.0f} emails per CPU-second, "
        f"{run.worker_cpu_seconds / sent * 1e6:,.0f} µs per email "
        f"({run.worker_cpu_seconds:.2f} s in all, {run.worker_cpu_seconds / worker_seconds:.2f} "
        "cores busy; the ceiling of one worker on an idle core)"
    )
    print(
        f"sink CPU: {run.sink_cpu_seconds:.2f} s, {run.sink_cpu_seconds / sent * 1e6:,.0f} µs "
        f"per email ({run.sink_cpu_seconds / worker_seconds:.0%} of a core while the workers ran)"
    )
    for label, values in (("notify → sink", end_to_end), ("worker took it → sink", send)):
        if values:
            print(
                f"{label}: p50 {statistics.median(values) * 1000:,.1f} ms, "
                f"p99 {percentile(values, 0.99) * 1000:,.1f} ms"
            )
    return rate


def measure(arguments: argparse.Namespace, workers: int, answer: Connection) -> None:
    """One run with `workers` processes, in a process of its own (a fresh database, sink and
    Django); sends back its emails per second."""
    port = free_port()
    here, there = multiprocessing.Pipe()
    sink = multiprocessing.Process(target=run_sink, args=(port, there), daemon=True)
    sink.start()
    assert here.recv() == "ready"
    with tempfile.TemporaryDirectory() as directory:
        set_up_django(Path(directory), port, email_rate_limit=arguments.email_rate_limit)
        users = create_recipients(min(arguments.recipients, arguments.count))
        queue_seconds = None
        if arguments.seed == "notify":
            queue_seconds = queue_with_notify(arguments.count, users)
        else:
            queue_in_bulk(arguments.count, users)
        worker_seconds, cpu_seconds, taken = run_workers(
            arguments.path, max(arguments.batch_size, 1), workers
        )
        here.send("stop")
        arrivals, sink_cpu_seconds = here.recv()
        sink.join(timeout=10)
        run = Run(
            arguments.count, workers, queue_seconds, worker_seconds, cpu_seconds, sink_cpu_seconds
        )
        answer.send(report(run, arrivals, taken))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20_000, help="emails to send")
    parser.add_argument("--recipients", type=int, default=1_000, help="distinct recipients")
    parser.add_argument(
        "--workers", default="1,2", help="worker processes; a list runs each (default 1,2)"
    )
    parser.add_argument(
        "--path", choices=["default", "per-email", "batched"], default="default", help="see above"
    )
    parser.add_argument("--batch-size", type=int, default=100, help="ids per batched task")
    parser.add_argument("--seed", choices=["notify", "bulk"], default="notify", help="see above")
    parser.add_argument(
        "--email-rate-limit",
        default="off",
        help="RATE_LIMITS['notifications.email'] for the run, e.g. 3000/second (default off)",
    )
    arguments = parser.parse_args()
    counts = [max(int(workers), 1) for workers in arguments.workers.split(",")]
    print(f"notifications.email rate limit: {arguments.email_rate_limit}")
    context = multiprocessing.get_context("fork")
    rates = {}
    for workers in counts:
        print(f"--- {workers} worker{'s' if workers > 1 else ''}, load average {_load()}")
        here, there = context.Pipe()
        run = context.Process(target=measure, args=(arguments, workers, there))
        run.start()
        rates[workers] = here.recv()
        run.join()
    print(f"load average at the end: {_load()}")
    if 1 in rates:
        for workers, rate in rates.items():
            if workers > 1:
                print(f"growth with {workers} workers: {rate / rates[1]:.2f} times one worker")


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
