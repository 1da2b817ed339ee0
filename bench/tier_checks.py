"""What bench/cluster_faults.py does around the load: faults, checks, costs, the embedded tier.

Django is set up in this process on the tier's primary (`mix_for` does it the first time),
to build the submissions, subscribe the webhook receiver and check what was stored.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import loadgen
import seed_requests
import tier_load
import workload

from cluster import prepare
from cluster.application import field_key_env
from cluster.tier import Tier

#: Seconds the follow-up work (confirmations, webhooks) may take to finish after the load.
DRAIN_TIMEOUT = 300.0
TRACKING_NUMBER = re.compile(r"\b[A-Z]{2,6}-\d{2}-\d{4,}\b")
EMBEDDED_DATABASE = Path("/tmp/cityhall-bench-embedded.sqlite3")  # noqa: S108


def mix_for(tier: Tier, *, filing_share: float = 1 / 3) -> tier_load.Mix:
    """The wave-1 mix for the tier: its demo city's services, key and stored requests."""
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        # The tier's key: webhook secrets this process encrypts must decrypt in its workers.
        os.environ["SECRET_KEY_FILE"] = str(tier.directory / "secret_key")
        # And its field keys: descriptions this process writes must decrypt in the tier.
        os.environ.update(field_key_env(tier.directory))
        seed_requests.setup_django(tier.primary.url)
    from django.db import connections

    mix = tier_load.Mix(
        pool=workload.submissions(500),
        api_key=tier.api_key,
        known_tracking_numbers=workload.random_tracking_numbers(2000),
        filing_share=filing_share,
    )
    connections.close_all()  # the clients are forked: they must not share a connection
    return mix


@dataclass
class FaultEvent:
    """One injected fault: the part, when it was killed, restarted and back (time.time())."""

    part: str
    killed_at: float
    restarted_at: float = 0.0
    back_at: float = 0.0
    error: str = ""


def fault_run_seconds(faults: int, down: float, settle: float) -> float:
    """How long the load runs for `faults` faults: a lead, then down + 3 settles each."""
    return settle + faults * (down + 3 * settle) + settle


def inject_faults(
    tier: Tier, parts: Sequence[str], down: float, settle: float, events: list[FaultEvent]
) -> None:
    """Kill each part in turn, leave it down `down` seconds, start it again (in a thread)."""
    time.sleep(settle)
    for name in parts:
        event = FaultEvent(name, killed_at=time.time())
        events.append(event)
        tier.kill(name)
        time.sleep(down)
        event.restarted_at = time.time()
        try:
            tier.start_part(name)
            if name.startswith("web-"):
                wait_for_nodes(tier, len(_running_web_nodes(tier)))
        except Exception as error:
            event.error = f"{type(error).__name__}: {error}"
        event.back_at = time.time()
        time.sleep(max(0.0, event.killed_at + down + 3 * settle - time.time()))


def fault_line(event: FaultEvent, wave: tier_load.Wave, settle: float = 5.0) -> str:
    """Failures from the kill until `settle` seconds after the part was back, and timings."""
    failed = wave.failures_between(event.killed_at, event.back_at + settle)
    by_kind = Counter(answer.kind for answer in failed)
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(by_kind.items())) or "none"
    last = max((answer.at for answer in failed), default=event.killed_at)
    return (
        f"{event.part} killed: {len(failed)} failed answers ({kinds}); answering again "
        f"{last - event.killed_at:.1f} s after the kill; back "
        f"{event.back_at - event.restarted_at:.1f} s after its restart"
        + (f"; RESTART FAILED: {event.error}" if event.error else "")
    )


def _running_web_nodes(tier: Tier) -> list[str]:
    return [
        status.name
        for status in tier.status()
        if status.name.startswith("web-") and status.pid is not None
    ]


def wait_for_nodes(tier: Tier, count: int, timeout: float = 60.0) -> None:
    """Wait until the balancer has answered from `count` distinct web nodes in a row of tries."""
    deadline = time.monotonic() + timeout
    seen: set[str] = set()
    while len(seen) < count and time.monotonic() < deadline:
        node = tier.answering_node("/healthz")
        if node:
            seen.add(node)
        else:
            time.sleep(0.2)


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 counting each delivery by its id and its request."""

    def __init__(self) -> None:
        self.deliveries: Counter[str] = Counter()
        self.requests: Counter[str] = Counter()
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with lock:
                    receiver.deliveries[body["id"]] += 1
                    receiver.requests[body["data"]["service_request"]["tracking_number"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer((loadgen.HOST, 0), Handler)

    @property
    def url(self) -> str:
        return f"http://{loadgen.HOST}:{self.server.server_address[1]}/hooks"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()


def subscribe(tier: Tier, url: str) -> None:
    """Subscribe `url` to every filing, as a city system, in the tier's database."""
    mix_for(tier)  # sets Django up on the primary
    from cityhall.accounts.models import User
    from cityhall.accounts.selectors import is_city_admin
    from cityhall.integrations.services import SubscriptionOwner, create_webhook_subscription

    admin = next(user for user in User.objects.filter(is_active=True) if is_city_admin(user))
    create_webhook_subscription(
        actor=admin,
        owner=SubscriptionOwner(city_system="Fault benchmark receiver"),
        target_url=url,
        events=["service_request.created"],
    )


def confirmations(tier: Tier, wanted: set[str]) -> Counter[str]:
    """How many confirmation emails the tier's mail holds for each of `wanted`."""
    counts: Counter[str] = Counter()
    for folder in ("new", "cur"):
        for path in (tier.mail_directory / folder).glob("*"):
            with path.open("rb") as message_file:
                headers = email.message_from_binary_file(message_file, policy=email.policy.default)
            for number in TRACKING_NUMBER.findall(str(headers["Subject"] or "")):
                if number in wanted:
                    counts[number] += 1
    return counts


def verify(tier: Tier, filings: Sequence[tier_load.Filing], receiver: WebhookReceiver) -> list[str]:
    """Wait for the follow-up work, then count lost filings, missing and duplicated mail and
    webhooks."""
    numbers = {filing.tracking_number for filing in filings}
    emailed = {filing.tracking_number for filing in filings if filing.with_email}
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_TIMEOUT:
        mail = confirmations(tier, emailed)
        if set(mail) >= emailed and set(receiver.requests) >= numbers:
            break
        time.sleep(2.0)
    drained = time.monotonic() - started
    stored = workload.stored_tracking_numbers(sorted(numbers))
    mail = confirmations(tier, emailed)
    hooks = receiver.requests
    return [
        f"acknowledged filings {len(numbers):,}; stored {len(stored & numbers):,}; "
        f"LOST {len(numbers - stored):,}",
        f"confirmations: {len(emailed):,} expected, {len(set(mail) & emailed):,} sent, "
        f"{len(emailed - set(mail)):,} missing, {sum(n - 1 for n in mail.values()):,} duplicates",
        f"webhooks (service_request.created): {len(numbers):,} expected, "
        f"{len(set(hooks) & numbers):,} delivered, {len(numbers - set(hooks)):,} missing, "
        f"{sum(n - 1 for n in hooks.values()):,} duplicates "
        f"({sum(n - 1 for n in receiver.deliveries.values()):,} of one delivery id)",
        f"follow-up work finished {drained:.0f} s after the load"
        + (" (TIMED OUT)" if drained >= DRAIN_TIMEOUT else ""),
    ]


@dataclass(frozen=True)
class CostPerFiling:
    """Web and PostgreSQL CPU, and lock waits, per filing with `nodes` web nodes."""

    nodes: int
    filings: int
    seconds: float
    web_cpu: float
    database_cpu: float
    lock_wait: float

    def per_filing_ms(self, seconds: float) -> float:
        return seconds * 1000 / max(1, self.filings)

    def line(self, first: CostPerFiling) -> str:
        web = self.per_filing_ms(self.web_cpu)
        change = web / max(1e-9, first.per_filing_ms(first.web_cpu)) - 1
        return (
            f"{self.nodes} web node(s): {self.filings / self.seconds:,.0f} filings/s; CPU per "
            f"filing: web {web:.2f} ms ({change:+.0%} vs {first.nodes} node), PostgreSQL "
            f"{self.per_filing_ms(self.database_cpu):.2f} ms; lock waits "
            f"{self.per_filing_ms(self.lock_wait):.3f} ms per filing"
        )


class LockWaitSampler(threading.Thread):
    """Samples pg_stat_activity on the primary every `interval` s; sums the time sessions
    spent waiting for a lock (samples times interval). Its own session's CPU is reported so that
    it can be left out of PostgreSQL's."""

    def __init__(self, database_url: str, interval: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.database_url, self.interval = database_url, interval
        self.waited = 0.0
        self.backend_pid = 0
        self.running = True
        self.connected = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            self.backend_pid = connection.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
            self.connected.set()
            query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            while self.running:
                waiting = connection.execute(query).fetchone()[0]  # type: ignore[index]
                self.waited += waiting * self.interval
                time.sleep(self.interval)


def _postgres_cpu(tier: Tier) -> dict[int, float]:
    """CPU seconds so far of the primary's postmaster and each of its children, by pid.

    Its backends leave the postmaster's process group (each starts a session of its own), so
    they are found by their parent instead.
    """
    postmaster = int((tier.primary.data / "postmaster.pid").read_text().split()[0])
    return {
        pid: seconds
        for pid, parent, _group, seconds in loadgen.process_times()
        if postmaster in (pid, parent)
    }


def _tier_cpu(tier: Tier, prefix: str) -> float:
    return sum(
        loadgen.process_group_cpu_seconds(status.pid)
        for status in tier.status()
        if status.name.startswith(prefix) and status.pid is not None
    )


def cost_per_filing(
    tier: Tier, mix: tier_load.Mix, *, nodes: int, seconds: float, concurrency: int
) -> CostPerFiling:
    """Filings only through the balancer for `seconds`, with the workers stopped so that
    PostgreSQL's CPU is the filings' own (the queued follow-ups run when they restart)."""
    workers = [name for name in tier.parts if name.startswith("worker-")]
    for name in workers:
        tier.part(name).stop()
    tier_load.run_wave(mix, port=tier.ports.balancer, seconds=3.0, concurrency=concurrency)
    sampler = LockWaitSampler(tier.primary.url)
    sampler.start()
    sampler.connected.wait(timeout=30)
    web_before, database_before = _tier_cpu(tier, "web-"), _postgres_cpu(tier)
    wave = tier_load.run_wave(
        mix, port=tier.ports.balancer, seconds=seconds, concurrency=concurrency
    )
    sampler.running = False
    sampler.join()
    database = sum(
        used - database_before.get(pid, 0.0)
        for pid, used in _postgres_cpu(tier).items()
        if pid != sampler.backend_pid
    )
    cost = CostPerFiling(
        nodes=nodes,
        filings=len(wave.filings),
        seconds=seconds,
        web_cpu=_tier_cpu(tier, "web-") - web_before,
        database_cpu=database,
        lock_wait=sampler.waited,
    )
    for name in workers:
        tier.part(name).start()
    return cost


#: Prints up to 2,000 tracking numbers of the embedded tier's demo city.
_TRACKING_NUMBERS = (
    "from cityhall.servicerequests.models import ServiceRequest\n"
    "numbers = ServiceRequest.objects.values_list('tracking_number', flat=True)[:2000]\n"
    "print(' '.join(numbers))"
)


def _manage(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(  # noqa: S603 (manage.py with our arguments)
        command, cwd=loadgen.REPOSITORY, env=env, capture_output=True, text=True, check=True
    ).stdout


def embedded_wave(mix: tier_load.Mix, seconds: float, concurrency: int) -> list[str]:
    """The same mix against `python -m cityhall.demo.run` on a fresh SQLite demo city."""
    EMBEDDED_DATABASE.unlink(missing_ok=True)
    port = loadgen.free_port()
    env = loadgen.server_environment(
        f"sqlite:///{EMBEDDED_DATABASE}",
        EMAIL_URL=f"file://{EMBEDDED_DATABASE.with_suffix('.mail')}",
        CITYHALL_BASE_URL=f"http://{loadgen.HOST}:{port}",
    )
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "load_demo_city")
    issued = _manage(
        env, "create_api_key", "--partner", prepare.DEMO_PARTNER,
        "--scopes", "open311:write", "--name", "Benchmark",
    )  # fmt: skip
    numbers = _manage(env, "shell", "-c", _TRACKING_NUMBERS).split()
    embedded = tier_load.Mix(mix.pool, issued.strip().splitlines()[-1], numbers, mix.filing_share)
    command = [
        sys.executable,
        "-m",
        "cityhall.demo.run",
        "--host",
        loadgen.HOST,
        "--port",
        str(port),
    ]
    with EMBEDDED_DATABASE.with_suffix(".log").open("ab") as log:
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=loadgen.REPOSITORY, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not tier_load.answers(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        wave = tier_load.run_wave(embedded, port=port, seconds=seconds, concurrency=concurrency)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return wave.lines(seconds)
