"""Does follow-up work keep up with filings? Sustained filings, their follow-ups, the delay.

Run: .venv/bin/python bench/followups.py --database-url URL [--reuse] [--tasks database|rq]
     [--workers N] [--rate R] [--minutes M] [--concurrency C] [--rq-worker-class CLASS]
     [--find-sustained [--probe-minutes P] [--max-rate R]]

URL is a PostgreSQL database of the benchmark's own (its name contains "bench"), seeded by
bench/seed_requests.py (kept as it is with --reuse). One run:

1. an SMTP sink (smtp_sink.py) in its own process notes when the confirmation of each
   tracking number arrives (read from the subject);
2. granian serves the WSGI app as in the other HTTP benchmarks (bench/loadgen.py: one worker,
   four blocking threads), with email going to the sink and the task backend `--tasks`;
   `--workers` task workers run beside it: `manage.py db_worker --queue-name *` for
   `database` (the default interval: a worker finding the queue empty waits 1 s), or
   `manage.py rqworker` on Redis 127.0.0.1:6379 database 11 (emptied first) for `rq`.
   Nothing is pinned: web, database, workers and clients share every CPU, as they would on
   one small machine. Follow-ups left queued by earlier runs are deleted first;
3. `--concurrency` client processes file `--rate` requests a second in all, an open loop
   (each on a fixed schedule), for `--minutes`: GeoReport v2 POSTs, each giving an email
   address, so that each filing is followed up by scoring its duplicates and confirming it;
4. after the filings stop, the follow-ups still queued get up to `--grace` seconds to finish.

Definitions: a filing is acknowledged when its POST answers 2xx with a tracking number; its
confirmation is the moment the email naming that number reaches the sink (the follow-up's
last step); the delay is from the acknowledgement reaching the client to the confirmation.
A filing not confirmed by the end of the grace period counts as an infinite delay.
Follow-ups keep up when the delay's p99 is under 60 s and the queue's backlog at the end of
the filings is under ten seconds' worth of filings (a queue that grows through the run ends
far above that); a rate counts only if 95 % of the filings offered were acknowledged (the
web server kept up too). Each run starts with 10 s of filings at up to 20/s, left out of
the figures, and waits for their follow-ups.

Prints filings/s, follow-ups/s (confirmations received while filing), the delay p50/p99,
the backlog over the run, and CPU time per unit: the workers' (and their database sessions')
per follow-up, the web server's (and its database sessions') per filing. CPU time hardly moves
when other work shares the machine; rates and delays do, so the load average is printed.

`--find-sustained` searches for the highest rate whose follow-ups keep up: probes of
`--probe-minutes` from `--rate` (up by half while they keep up, down by a third while they do
not, then halving the gap to within 10 %), then the rate found runs for the full `--minutes`
(a step lower if that run does not keep up, once).
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).absolute().parent))

import email_throughput
import loadgen
import seed_requests
import workload

#: The Redis database the RQ runs use (and empty): no test or other benchmark uses it.
REDIS_URL = "redis://127.0.0.1:6379/11"
RQ_QUEUES = ("default", "email", "notifications")
#: The confirmation's subject names the tracking number (servicerequests/email/submitted_*).
TRACKING_NUMBER_IN_SUBJECT = re.compile(rb"^Subject:[^\r\n]*?\b([A-Z]{1,5}-\d{2}-\d{6,})", re.M)
#: A follow-up confirmed later than this after its filing has not kept up.
DELAY_GOAL_SECONDS = 60.0
#: Seconds of filings the backlog may hold at the end of a run that keeps up.
BACKLOG_GOAL_SECONDS = 10.0
#: Share of the offered filings that must be acknowledged for the rate to count as filed.
FILED_GOAL = 0.95
SAMPLE_EVERY_SECONDS = 10.0
#: Filings before the measured ones, at no more than WARM_UP_RATE a second.
WARM_UP_SECONDS = 10.0
WARM_UP_RATE = 20.0


def main() -> None:
    options = _options()
    stored = seed_requests.seeded_database(options)
    pool = workload.submissions(5000)
    api_key = workload.create_open311_key()
    from django.db import connections

    connections.close_all()  # the clients are forked; they must not share a connection
    print(
        f"{stored:,} requests stored; tasks: {options.tasks}, {options.workers} worker(s); "
        f"load average {_load()}"
    )
    if not options.find_sustained:
        _run(options, pool, api_key, rate=options.rate, seconds=options.minutes * 60).report()
        return
    sustained = _find_sustained(options, pool, api_key)
    print(f"\nsustained rate ({options.tasks}, {options.workers} workers): {sustained}")


@dataclass
class Run:
    """What one run at one rate saw."""

    tasks: str
    workers: int
    rate: float
    seconds: float
    #: (tracking number, when the client read the acknowledgement) of each filing.
    filings: list[tuple[str, float]]
    filing_outcome: loadgen.Outcome
    started_at: float
    #: Tracking number → when its confirmation reached the sink.
    confirmations: dict[str, float]
    #: (seconds since the start, follow-ups queued or running) every SAMPLE_EVERY_SECONDS.
    backlog: list[tuple[float, int]]
    worker_cpu: float
    worker_database_cpu: float
    server_cpu: float
    server_database_cpu: float
    load_before: str
    load_after: str = field(default="")

    @property
    def delays(self) -> list[float]:
        """Filing → confirmation delay of each filing, infinite when never confirmed."""
        return sorted(
            self.confirmations.get(number, float("inf")) - acknowledged
            for number, acknowledged in self.filings
        )

    @property
    def confirmed_while_filing(self) -> int:
        end = self.started_at + self.seconds
        return sum(1 for at in self.confirmations.values() if self.started_at <= at <= end)

    @property
    def backlog_at_end(self) -> int:
        within = [queued for at, queued in self.backlog if at <= self.seconds + 1]
        return within[-1] if within else 0

    @property
    def keeps_up(self) -> bool:
        delays = self.delays
        return (
            bool(delays)
            and len(self.filings) >= FILED_GOAL * self.rate * self.seconds
            and loadgen.percentile(delays, 99) < DELAY_GOAL_SECONDS
            and self.backlog_at_end < self.rate * BACKLOG_GOAL_SECONDS
        )

    def report(self) -> None:
        delays = self.delays
        filed = len(self.filings)
        done = len(self.confirmations)
        print(f"-- {self.tasks} queue, {self.workers} workers, {self.rate:g} filings/s offered")
        print(f"   load average before {self.load_before}, after {self.load_after}")
        print(f"   {self.filing_outcome.line()}")
        print(
            f"   filings: {filed / self.seconds:,.1f}/s acknowledged ({filed:,} in "
            f"{self.seconds:.0f} s); follow-ups: {self.confirmed_while_filing / self.seconds:,.1f}"
            f"/s while filing, {done:,} confirmed in all "
            f"({filed - sum(1 for d in delays if d != float('inf')):,} never)"
        )
        if delays:
            print(
                "   filing -> confirmation delay: "
                f"p50 {_seconds(statistics.median(delays))}, "
                f"p99 {_seconds(loadgen.percentile(delays, 99))}, "
                f"max {_seconds(delays[-1])}"
            )
        samples = ", ".join(f"{at:.0f} s: {queued:,}" for at, queued in self.backlog)
        print(f"   backlog (follow-ups queued or running): {samples}")
        if done:
            print(
                f"   CPU per follow-up: workers {self.worker_cpu / done * 1000:.2f} ms, "
                f"their database sessions {self.worker_database_cpu / done * 1000:.2f} ms"
            )
        if filed:
            print(
                f"   CPU per filing: web server {self.server_cpu / filed * 1000:.2f} ms, "
                f"its database sessions {self.server_database_cpu / filed * 1000:.2f} ms"
            )
        print(f"   keeps up: {'yes' if self.keeps_up else 'no'}")


class ConfirmedSubmissions(workload.Open311Submissions):
    """Filings that each give an email address; reports (tracking number, acknowledged at)."""

    def answered(self, call: loadgen.Call, answer: loadgen.Answer) -> Any:
        number = super().answered(call, answer)
        return None if number is None else (number, time.time())


def _run(
    options: argparse.Namespace,
    pool: Sequence[workload.Submission],
    api_key: str,
    *,
    rate: float,
    seconds: float,
) -> Run:
    _empty_queues(options)
    port = loadgen.free_port()
    environment = {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "TASKS_BACKEND": options.tasks,
        "REDIS_URL": REDIS_URL,
    }
    cpus = loadgen.Pinning(None, None)
    server = loadgen.Server(options.database_url, cpus=cpus, environment=environment)
    workers_name = f"cityhall-bench-workers-{server.port}"
    load_before = _load()
    with (
        _sink(port) as arrivals,
        loadgen.running(server),
        _workers(options, environment, workers_name) as groups,
        _sampling(options) as backlog,
    ):

        def file(label: str, *, at: float, during: float) -> loadgen.Outcome:
            return loadgen.run_clients(
                label,
                lambda client: ConfirmedSubmissions(
                    pool, api_key=api_key, client=client, with_email=True
                ),
                port=server.port,
                seconds=during,
                concurrency=options.concurrency,
                cpus=cpus,
                rate=at,
            )

        # Imports, caches and connections of every process, outside the figures.
        file("warm-up", at=min(rate, WARM_UP_RATE), during=WARM_UP_SECONDS)
        _drain(backlog, grace=options.grace, sample=False)
        worker_cpu = _worker_cpu(groups, options.database_url, workers_name)
        server_cpu = server.cpu_seconds(), sum(server.database_cpu_seconds().values())
        started_at = time.time()
        backlog.start(started_at)
        outcome = file(f"filings (Open311 POST, open loop at {rate:g}/s)", at=rate, during=seconds)
        server_used = (
            server.cpu_seconds() - server_cpu[0],
            sum(server.database_cpu_seconds().values()) - server_cpu[1],
        )
        _drain(backlog, grace=options.grace)
        worker_used = [
            after - before
            for after, before in zip(
                _worker_cpu(groups, options.database_url, workers_name), worker_cpu, strict=True
            )
        ]
    run = Run(
        tasks=options.tasks,
        workers=options.workers,
        rate=rate,
        seconds=seconds,
        filings=outcome.reported,
        filing_outcome=outcome,
        started_at=started_at,
        confirmations=_measured(arrivals.result(), outcome.reported),
        backlog=backlog.samples,
        worker_cpu=worker_used[0],
        worker_database_cpu=worker_used[1],
        server_cpu=server_used[0],
        server_database_cpu=server_used[1],
        load_before=load_before,
    )
    run.load_after = _load()
    return run


def _find_sustained(
    options: argparse.Namespace, pool: Sequence[workload.Submission], api_key: str
) -> str:
    """Probe rates, then confirm the best one for the full duration; returns what was found."""

    def probe(rate: float) -> bool:
        run = _run(options, pool, api_key, rate=rate, seconds=options.probe_minutes * 60)
        run.report()
        return run.keeps_up

    good, bad = _bracket(probe, options.rate, options.max_rate)
    while good and bad != float("inf") and bad / good > 1.1:
        middle = round((good + bad) / 2)
        if middle in (good, bad):
            break
        if probe(middle):
            good = middle
        else:
            bad = middle
    if not good:
        return "none found (even the lowest probe did not keep up)"
    for attempt in (good, round(good * 0.9)):
        print(f"\n== confirming {attempt:g} filings/s for {options.minutes:g} minutes")
        run = _run(options, pool, api_key, rate=attempt, seconds=options.minutes * 60)
        run.report()
        if run.keeps_up:
            return f"{attempt:g} filings/s for {options.minutes:g} minutes"
    return f"not confirmed: {good:g} kept up for {options.probe_minutes:g} minutes only"


def _bracket(probe: Callable[[float], bool], rate: float, highest: float) -> tuple[float, float]:
    """(a rate that keeps up or 0, one above it that does not or infinity): up by half from
    `rate` while probes keep up (to `highest`), down by a third while they do not."""
    good, bad = 0.0, float("inf")
    while True:
        if probe(rate):
            good = rate
            if bad != float("inf") or rate * 1.5 > highest:
                return good, bad
            rate = round(rate * 1.5)
        else:
            bad = rate
            if good or rate < 5:
                return good, bad
            rate = round(rate / 1.5)


class _Arrivals:
    def __init__(self) -> None:
        self.value: dict[str, float] = {}

    def result(self) -> dict[str, float]:
        return self.value


@contextlib.contextmanager
def _sink(port: int) -> Iterator[_Arrivals]:
    """The SMTP sink in its own process; its arrivals are filled in when it stops."""
    context = multiprocessing.get_context("fork")
    here, there = context.Pipe()
    process = context.Process(
        target=email_throughput.run_sink,
        args=(port, there, TRACKING_NUMBER_IN_SUBJECT),
        daemon=True,
    )
    process.start()
    if here.recv() != "ready":
        raise RuntimeError("The SMTP sink did not start.")
    arrivals = _Arrivals()
    try:
        yield arrivals
    finally:
        here.send("stop")
        arrivals.value, _cpu = here.recv()
        process.join(timeout=10)


@contextlib.contextmanager
def _workers(
    options: argparse.Namespace, environment: dict[str, str], name: str
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`options.workers` task workers, each in a process group of its own."""
    if options.tasks == "database":
        command = ["manage.py", "db_worker", "--queue-name", "*", "--no-reload", "-v", "0"]
    else:
        command = ["manage.py", "rqworker", *RQ_QUEUES, "--job-class", "django_tasks_rq.Job"]
    worker_environment = loadgen.server_environment(
        loadgen.named_database_url(options.database_url, name), **environment
    )
    log = Path(f"/tmp/{name}.log")  # noqa: S108 (a benchmark's own log)
    processes = []
    with log.open("ab") as output:
        for number in range(options.workers):
            extra = ["--name", f"{name}-{number}"] if options.tasks == "rq" else []
            if options.tasks == "rq" and options.rq_worker_class:
                extra += ["--worker-class", options.rq_worker_class]
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                    [sys.executable, *command, *extra],
                    cwd=loadgen.REPOSITORY,
                    env=worker_environment,
                    start_new_session=True,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )
    time.sleep(3)  # Django's start-up, so that the first filings do not wait for it
    try:
        yield processes
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _worker_cpu(
    groups: Sequence[subprocess.Popen[bytes]], database_url: str, name: str
) -> tuple[float, float]:
    """(CPU seconds of the worker processes, of their database sessions) so far."""
    own = sum(loadgen.process_group_cpu_seconds(process.pid) for process in groups)
    return own, sum(loadgen.database_cpu_seconds(database_url, name).values())


class _Backlog:
    """Counts the follow-ups queued or running every SAMPLE_EVERY_SECONDS, in a thread."""

    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.samples: list[tuple[float, int]] = []
        self.stopped = threading.Event()
        self.started_at = 0.0
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def start(self, started_at: float) -> None:
        self.started_at = started_at
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()

    def count(self) -> int:
        return _queued(self.options)

    def _sample(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.time() - self.started_at, self.count()))
            self.stopped.wait(SAMPLE_EVERY_SECONDS)


@contextlib.contextmanager
def _sampling(options: argparse.Namespace) -> Iterator[_Backlog]:
    backlog = _Backlog(options)
    try:
        yield backlog
    finally:
        backlog.stop()


def _drain(backlog: _Backlog, *, grace: float, sample: bool = True) -> None:
    """Wait until nothing is queued or running, or `grace` seconds; then, with `sample`,
    stop sampling and take a last sample."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and backlog.count() > 0:
        time.sleep(1)
    time.sleep(2)  # the last emails on their way to the sink
    if sample:
        backlog.stop()
        backlog.samples.append((time.time() - backlog.started_at, backlog.count()))


def _measured(arrivals: dict[str, float], filings: Sequence[tuple[str, float]]) -> dict[str, float]:
    """The confirmations of the measured filings (not of the warm-up's)."""
    return {number: arrivals[number] for number, _at in filings if number in arrivals}


def _queued(options: argparse.Namespace) -> int:
    """Follow-ups queued or running now (read outside Django: this runs in a thread)."""
    if options.tasks == "rq":
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        started = client.zcard("rq:wip:default")
        return int(client.llen("rq:queue:default")) + int(started)
    import psycopg

    with psycopg.connect(options.database_url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING') AND task_path = %s",
            [_follow_up_path()],
        ).fetchone()
    return int(row[0]) if row else 0


def _follow_up_path() -> str:
    from cityhall.servicerequests.tasks import follow_up_submission

    return follow_up_submission.module_path


def _empty_queues(options: argparse.Namespace) -> None:
    """Start from empty queues: earlier runs (and runs of other benchmarks without workers)
    may have left follow-ups queued, which would otherwise be drained first."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).delete()
    connections.close_all()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _seconds(value: float) -> str:
    return "never" if value == float("inf") else f"{value:,.2f} s"


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=seed_requests.DEFAULT_COUNT)
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded.")
    parser.add_argument("--tasks", choices=["database", "rq"], default="database")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=100.0, help="filings per second offered")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8, help="client processes")
    parser.add_argument("--grace", type=float, default=90.0, help="seconds to drain at the end")
    parser.add_argument(
        "--rq-worker-class",
        default="",
        help="e.g. rq.SimpleWorker (runs each job in the worker; RQ's default forks per job)",
    )
    parser.add_argument("--find-sustained", action="store_true")
    parser.add_argument("--probe-minutes", type=float, default=2.0)
    parser.add_argument("--max-rate", type=float, default=400.0)
    options = parser.parse_args()
    if "bench" not in options.database_url.rsplit("/", 1)[-1]:
        raise SystemExit("Use a database of the benchmark's own: its name must contain 'bench'.")
    return options


if __name__ == "__main__":
    main()
