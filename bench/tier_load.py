"""The wave-1 load for a whole tier: filings, status pages and Open311 reads, every answer timed.

Shared by bench/cluster_faults.py. Unlike loadgen's clients, which only keep latencies, these
keep each answer's moment and kind, so that the answers that failed while a part of the tier
was down can be counted afterwards, and each kind (filing, status page, Open311 read) gets its
own figures. A failed answer is a 5xx or a connection that failed (status 0).

The clients are closed loops, one process and one keep-alive connection each, like loadgen's.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import loadgen
import workload

FILING, STATUS_PAGE, OPEN311_READ = "filing", "status page", "Open311 read"
KINDS = (FILING, STATUS_PAGE, OPEN311_READ)


@dataclass(frozen=True)
class Answered:
    """One answer: when it came (time.time()), what was asked, its status (0: no answer)."""

    at: float
    kind: str
    status: int
    seconds: float

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 500


@dataclass(frozen=True)
class Filing:
    """An acknowledged filing: its tracking number and whether it gave an email address."""

    tracking_number: str
    with_email: bool


@dataclass
class Wave:
    """What every client of one run saw."""

    answers: list[Answered] = field(default_factory=list)
    filings: list[Filing] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Answered]:
        return [answer for answer in self.answers if answer.kind == kind]

    def failures_between(self, start: float, end: float) -> list[Answered]:
        return [answer for answer in self.answers if answer.failed and start <= answer.at <= end]

    def lines(self, seconds: float) -> list[str]:
        """Per kind: answers/s, p50/p99 of the good answers, and how many failed."""
        result = []
        for kind in KINDS:
            answers = self.of_kind(kind)
            good = sorted(answer.seconds for answer in answers if not answer.failed)
            failed = len(answers) - len(good)
            if not good:
                result.append(f"{kind}: no good answer ({failed} failed)")
                continue
            result.append(
                f"{kind}: {len(good) / seconds:,.0f} req/s, "
                f"p50 {loadgen.percentile(good, 50) * 1000:.1f} ms, "
                f"p99 {loadgen.percentile(good, 99) * 1000:.1f} ms, {failed:,} failed"
            )
        return result


@dataclass(frozen=True)
class Mix:
    """What the clients send: one filing in `filing_share`, the rest reads, half each."""

    pool: Sequence[workload.Submission]
    api_key: str
    known_tracking_numbers: Sequence[str]
    filing_share: float = 1 / 3


def _call(
    mix: Mix, filings: workload.Open311Submissions, rng: random.Random, number: int
) -> tuple[str, loadgen.Call]:
    draw = rng.random()
    if draw < mix.filing_share:
        return FILING, filings.next_call(number)
    tracking_number = rng.choice(mix.known_tracking_numbers)
    if draw < mix.filing_share + (1 - mix.filing_share) / 2:
        language = "fr" if rng.random() < 0.4 else "en"
        return STATUS_PAGE, loadgen.Call("GET", f"/{language}/requests/{tracking_number}/")
    return OPEN311_READ, loadgen.Call("GET", f"/open311/v2/requests/{tracking_number}.json")


def _client(mix: Mix, client: int, port: int, seconds: float, pipe: Connection) -> None:
    rng = random.Random(client)
    filings = workload.Open311Submissions(mix.pool, api_key=mix.api_key, client=client)
    wave = Wave()
    connection = http.client.HTTPConnection(loadgen.HOST, port, timeout=30)
    end = time.monotonic() + seconds
    number = 0
    while time.monotonic() < end:
        kind, call = _call(mix, filings, rng, number)
        number += 1
        began = time.perf_counter()
        try:
            connection.request(call.method, call.path, body=call.body, headers=dict(call.headers))
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            wave.answers.append(Answered(time.time(), kind, 0, time.perf_counter() - began))
            connection.close()
            connection = http.client.HTTPConnection(loadgen.HOST, port, timeout=30)
            time.sleep(0.05)
            continue
        wave.answers.append(
            Answered(time.time(), kind, response.status, time.perf_counter() - began)
        )
        if kind == FILING and 200 <= response.status < 300:
            tracking_number = json.loads(body)[0]["service_request_id"]
            wave.filings.append(Filing(tracking_number, b"email=" in (call.body or b"")))
        if response.will_close:
            connection.close()
            connection = http.client.HTTPConnection(loadgen.HOST, port, timeout=30)
    pipe.send(wave)
    pipe.close()


def answers(port: int) -> bool:
    """Whether GET /healthz on 127.0.0.1:`port` is answered without a server error."""
    try:
        connection = http.client.HTTPConnection(loadgen.HOST, port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status < 500
    except (OSError, http.client.HTTPException):
        return False


def run_wave(mix: Mix, *, port: int, seconds: float, concurrency: int) -> Wave:
    """`concurrency` client processes send `mix` to 127.0.0.1:`port` for `seconds`."""
    context = multiprocessing.get_context("fork")
    receivers, processes = [], []
    for client in range(concurrency):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_client, args=(mix, client, port, seconds, sender))
        process.start()
        sender.close()
        receivers.append(receiver)
        processes.append(process)
    wave = Wave()
    for receiver in receivers:
        part: Wave = receiver.recv()
        wave.answers += part.answers
        wave.filings += part.filings
    for process in processes:
        process.join()
    return wave
