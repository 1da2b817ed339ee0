"""What the HTTP benchmarks share: the server under test, the client processes, the figures.

The server is granian serving the WSGI app as `cityhall.demo.run` starts it (one worker,
four blocking threads by default), with debugging and rate limits off. On this 2-core
machine the server is pinned to the first CPU and the clients to the second with `taskset`,
so that the load generator does not steal the server's CPU; the pinning is printed with
every run. The database server (PostgreSQL) is not pinned: it takes whatever CPU is free.

The clients are closed loops: `--concurrency` processes, each with one keep-alive
`http.client` connection, sending the next request as soon as the last answer arrived.
Latency is measured by the client, from sending the request to reading the whole answer.
Given a rate, they are an open loop instead: each client sends on a fixed schedule, its
share of the rate, whatever the answers' pace, and latency runs from the scheduled moment
(so a server that falls behind is charged for the wait it causes).
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# Not resolved: a copy of the checkout whose bench/ links here measures its own code.
REPOSITORY = Path(__file__).absolute().parents[1]
sys.path.insert(0, str(REPOSITORY))
HOST = "127.0.0.1"

from cluster.processes import free_port  # noqa: E402 (needs the repository on the path)

__all__ = ["free_port"]  # the load benchmarks take their ports from here


@dataclass(frozen=True)
class Pinning:
    """Which CPUs the server and the clients run on (None: not pinned)."""

    server: str | None
    clients: str | None

    def describe(self) -> str:
        if self.server is None:
            return "not pinned (--no-pinning, no taskset, or a single CPU): all share every CPU"
        return f"server on CPU {self.server}, clients on CPU {self.clients} (taskset -c)"

    def command(self, cpus: str | None, command: Sequence[str]) -> list[str]:
        return ["taskset", "-c", cpus, *command] if cpus is not None else list(command)

    def pin_self(self) -> None:
        """Move the calling process (a client) onto the clients' CPUs."""
        if self.clients is not None:
            os.sched_setaffinity(0, {int(cpu) for cpu in self.clients.split(",")})


def pinning(*, enabled: bool = True) -> Pinning:
    """The server on the first half of the CPUs, the clients on the rest.

    Unpinned (`enabled` False), a server with several workers may use every CPU, at the
    price of sharing them with the clients.
    """
    cpus = sorted(os.sched_getaffinity(0))
    if not enabled or len(cpus) < 2 or not Path("/usr/bin/taskset").exists():
        return Pinning(None, None)
    half = len(cpus) // 2
    return Pinning(
        ",".join(str(cpu) for cpu in cpus[:half]), ",".join(str(cpu) for cpu in cpus[half:])
    )


def server_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The web process's environment: the benchmark database, no debugging, no rate limits.

    Rate limits are turned off because every client shares one address and one key; they
    would answer 429 long before the server is busy.
    """
    environment = dict(os.environ)
    environment.update(
        {
            "DATABASE_URL": database_url,
            "CITYHALL_ENV": "development",
            "CITYHALL_DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPOSITORY),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "RATE_LIMIT_API_CALLERS": "off",
            "RATE_LIMIT_API_ADDRESSES": "off",
            "RATE_LIMIT_OPEN311_CALLERS": "off",
            "RATE_LIMIT_OPEN311_ADDRESSES": "off",
        }
    )
    environment.update(extra)
    return environment


class Server:
    """granian serving config.wsgi in its own process group, pinned to the server's CPUs."""

    def __init__(  # noqa: PLR0913 (the server's whole shape, by keyword)
        self,
        database_url: str,
        *,
        cpus: Pinning,
        workers: int = 1,
        threads: int = 4,
        port: int | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        #: Added to `server_environment` (the task backend, the email server...).
        self.environment = dict(environment or {})
        self.cpus = cpus
        self.workers = workers
        self.threads = threads
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None
        #: The server's own output (errors of failed requests included) goes here.
        self.log = Path(tempfile.gettempdir()) / f"cityhall-bench-server-{self.port}.log"

    def describe(self) -> str:
        return (
            f"granian WSGI, {self.workers} worker(s), {self.threads} blocking threads "
            f"(its output in {self.log})"
        )

    def start(self) -> None:
        command = [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", HOST,
            "--port", str(self.port), "--workers", str(self.workers),
            "--blocking-threads", str(self.threads), "--no-ws", "config.wsgi:application",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                self.cpus.command(self.cpus.server, command),
                cwd=REPOSITORY,
                env=server_environment(self._named_database_url(), **self.environment),
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_ready()

    def _named_database_url(self) -> str:
        return named_database_url(self.database_url, self.application_name)

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"The server on port {self.port} did not start in {timeout} s.")

    @property
    def application_name(self) -> str:
        """How the server's PostgreSQL sessions name themselves (see `database_cpu_seconds`)."""
        return f"cityhall-bench-{self.port}"

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server's processes have used so far.

        Read from /proc for every process of the server's group (granian and its workers),
        so that it can be divided by the requests served: unlike requests/s, it hardly
        moves when other work shares the machine. 0 where /proc is missing.
        """
        if self.process is None:
            return 0.0
        return process_group_cpu_seconds(self.process.pid)

    def database_cpu_seconds(self) -> dict[int, float]:
        """PostgreSQL backend pid → CPU seconds used so far, for the server's sessions.

        Empty for SQLite, or when /proc does not show the database server's processes.
        """
        return database_cpu_seconds(self.database_url, self.application_name)

    def kill(self) -> None:
        """SIGKILL the whole process group: the server and its workers die mid-request."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def process_group_cpu_seconds(group: int) -> float:
    """CPU seconds (user and system) used so far by the processes of one process group."""
    return sum(seconds for _pid, _parent, pgrp, seconds in process_times() if pgrp == group)


def database_cpu_seconds(database_url: str, application_name: str) -> dict[int, float]:
    """PostgreSQL backend pid → CPU seconds used so far, for the sessions that gave
    `application_name`. Empty for SQLite, or when /proc does not show the database's processes.
    """
    if not database_url.startswith("postgres"):
        return {}
    import psycopg

    with psycopg.connect(database_url) as connection:
        pids = {
            row[0]
            for row in connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                [application_name],
            )
        }
    return {pid: seconds for pid, _parent, _group, seconds in process_times() if pid in pids}


def named_database_url(database_url: str, application_name: str) -> str:
    """`database_url` whose PostgreSQL sessions name themselves `application_name`."""
    if not database_url.startswith("postgres"):
        return database_url
    separator = "&" if "?" in database_url else "?"
    return f"{database_url}{separator}application_name={application_name}"


def process_times() -> Iterator[tuple[int, int, int, float]]:
    """(pid, parent pid, process group, CPU seconds used) of every process /proc shows."""
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After the command name: state, ppid, pgrp, ... utime (12th), stime (13th).
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        seconds = (int(fields[11]) + int(fields[12])) / tick
        yield int(stat.parent.name), int(fields[1]), int(fields[2]), seconds


@contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Call:
    """One HTTP request a client sends."""

    method: str
    path: str
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


class Scenario:
    """What one client process asks for; subclasses keep per-client state (ETags, ids)."""

    def next_call(self, number: int) -> Call:
        raise NotImplementedError

    def answered(self, call: Call, answer: Answer) -> Any:
        """Return what to report for this answer (an acknowledged id, say), or None."""
        return None


@dataclass
class Outcome:
    """What the clients saw in one run."""

    label: str
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]
    failures: int
    reported: list[Any]
    #: CPU seconds the server used during the run, when measured.
    server_cpu: float | None = None
    #: CPU seconds the database server's backends used for the server, when measured.
    database_cpu: float | None = None

    @property
    def count(self) -> int:
        return len(self.latencies)

    def line(self) -> str:
        if not self.latencies:
            return f"{self.label}: no answer ({self.failures} connection failures)"
        ordered = sorted(self.latencies)
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(self.statuses.items()))
        return (
            f"{self.label}: {self.count / self.seconds:,.0f} req/s, "
            f"p50 {percentile(ordered, 50) * 1000:.1f} ms, "
            f"p99 {percentile(ordered, 99) * 1000:.1f} ms "
            f"({self.count:,} in {self.seconds:.1f} s; {statuses}"
            + (f"; {self.failures} connection failures" if self.failures else "")
            + ")"
            + (
                f"; server CPU {self.server_cpu * 1000 / self.count:.2f} ms per request"
                if self.server_cpu is not None
                else ""
            )
            + (
                f", database CPU {self.database_cpu * 1000 / self.count:.2f} ms"
                if self.database_cpu is not None
                else ""
            )
        )


def percentile(ordered: Sequence[float], rank: float) -> float:
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(rank) - 1]


def _client(  # noqa: PLR0913 (the client's whole brief, passed to a forked process)
    make_scenario: Callable[[int], Scenario],
    index: int,
    port: int,
    seconds: float,
    start_at: float,
    cpus: Pinning,
    pipe: Connection,
    pace: tuple[float, float] | None = None,
) -> None:
    cpus.pin_self()
    scenario = make_scenario(index)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    reported: list[Any] = []
    failures = 0
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    time.sleep(max(0.0, start_at - time.time()))
    end = time.monotonic() + seconds
    number = 0
    # A paced client sends every `interval` seconds from `offset` on (see `run_clients`).
    interval, offset = pace or (0.0, 0.0)
    scheduled = time.perf_counter() + offset
    while time.monotonic() < end:
        call = scenario.next_call(number)
        number += 1
        began = time.perf_counter()
        if pace is not None:
            time.sleep(max(0.0, scheduled - began))
            began, scheduled = scheduled, scheduled + interval
        try:
            connection.request(call.method, call.path, body=call.body, headers=dict(call.headers))
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            failures += 1
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            time.sleep(0.05)
            continue
        latencies.append(time.perf_counter() - began)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
        result = scenario.answered(call, answer)
        if result is not None:
            reported.append(result)
        if response.will_close:
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
    pipe.send((latencies, statuses, failures, reported))
    pipe.close()


def run_clients(  # noqa: PLR0913 (a run's whole description, by keyword)
    label: str,
    make_scenario: Callable[[int], Scenario],
    *,
    port: int,
    seconds: float,
    concurrency: int,
    cpus: Pinning,
    rate: float | None = None,
) -> Outcome:
    """Run `concurrency` client processes for `seconds` against the server on `port`.

    `make_scenario(index)` runs in each (forked) client to build its scenario. With a `rate`
    (requests per second in all) the clients are an open loop, each sending its share on a
    fixed schedule; without, closed loops.
    """
    # Paced clients start a fraction of the interval apart, so that their sends interleave.
    interval = concurrency / rate if rate else 0.0
    context = multiprocessing.get_context("fork")
    start_at = time.time() + 0.5
    pipes = []
    processes = []
    for index in range(concurrency):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_client,
            args=(
                make_scenario,
                index,
                port,
                seconds,
                start_at,
                cpus,
                sender,
                (interval, interval * index / concurrency) if rate else None,
            ),
        )
        process.start()
        sender.close()
        pipes.append(receiver)
        processes.append(process)
    outcome = Outcome(label, seconds, [], {}, 0, [])
    for receiver in pipes:
        latencies, statuses, failures, reported = receiver.recv()
        outcome.latencies += latencies
        outcome.failures += failures
        outcome.reported += reported
        for code, n in statuses.items():
            outcome.statuses[code] = outcome.statuses.get(code, 0) + n
    for process in processes:
        process.join()
    return outcome


#: Seconds of load each HTTP run starts with, whose figures are dropped.
WARM_UP_SECONDS = 3.0


def measure(
    label: str,
    make_scenario: Callable[[int], Scenario],
    server: Server,
    *,
    seconds: float,
    concurrency: int,
) -> Outcome:
    """A warm-up, then `seconds` of `concurrency` clients, with the server's CPU time and
    its database sessions' CPU time over the measured part."""

    def run(length: float) -> Outcome:
        return run_clients(
            label,
            make_scenario,
            port=server.port,
            seconds=length,
            concurrency=concurrency,
            cpus=server.cpus,
        )

    run(WARM_UP_SECONDS)
    before, database_before = server.cpu_seconds(), server.database_cpu_seconds()
    outcome = run(seconds)
    outcome.server_cpu = server.cpu_seconds() - before
    database_after = server.database_cpu_seconds()
    if database_after:
        # By session: the server replaces its connections after CONN_MAX_AGE.
        outcome.database_cpu = sum(
            used - database_before.get(pid, 0.0) for pid, used in database_after.items()
        )
    return outcome


def timed_loop(label: str, action: Callable[[int], None], *, seconds: float) -> Outcome:
    """Call `action(number)` in this process for `seconds`; figures as for HTTP clients."""
    latencies: list[float] = []
    end = time.monotonic() + seconds
    number = 0
    started = time.perf_counter()
    while time.monotonic() < end:
        began = time.perf_counter()
        action(number)
        latencies.append(time.perf_counter() - began)
        number += 1
    return Outcome(label, time.perf_counter() - started, latencies, {}, 0, [])


def header(title: str, **facts: Any) -> None:
    """Print what a run measured and how, before its figures."""
    print(f"\n== {title}")
    # Other work on the machine skews every figure; the load average shows how much there was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    facts = {**facts, "load average before the run (1, 5, 15 min)": load}
    for name, value in facts.items():
        print(f"   {name.replace('_', ' ')}: {value}")
