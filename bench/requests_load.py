"""Service requests under load, with a million stored: submissions and status pages.

Run: .venv/bin/python bench/requests_load.py --database-url URL [--reuse] [--count N]
     [--seconds S] [--concurrency C] [--workers W] [--threads T] [--no-pinning]

URL as for bench/seed_requests.py (a SQLite file under /tmp, or a PostgreSQL database of
the benchmark's own); the database is seeded first (kept as it is with --reuse). Then:

(c) status pages: GET /en|fr/requests/<tracking number>/ for requests drawn uniformly from
    all stored ones, by C closed-loop clients;
(a) submissions through HTTP, the way a citizen's app files them: GeoReport v2 POST
    requests.json with a partner key and an Idempotency-Key, by C clients; an answer counts
    as acknowledged when it is a 2xx carrying a service_request_id, and every acknowledged
    id is looked up in the database afterwards (durable = found);
(b) submissions through `submit_service_request` called in this process, pinned where the
    server runs, one after another.

Prints requests/s and p50/p99 latency for each, how the processes were pinned, and the
server's configuration (see bench/loadgen.py). HTTP runs also print the CPU time the server
(and, on PostgreSQL, the database sessions it opened) spent per request: unlike requests/s,
it hardly moves when other work shares the machine. Each HTTP run starts with a short warm-up
whose figures are dropped.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests
import workload


def main() -> None:
    options = seed_requests.load_options(__doc__.splitlines()[0])
    stored = seed_requests.seeded_database(options)
    from django.db import connection, connections

    pool = workload.submissions(2000)
    api_key = workload.create_open311_key()
    tracking_numbers = workload.random_tracking_numbers(20_000)
    vendor = connection.vendor
    connections.close_all()  # the clients are forked; they must not share a connection

    cpus = loadgen.pinning(enabled=not options.no_pinning)
    server = loadgen.Server(
        options.database_url, cpus=cpus, workers=options.workers, threads=options.threads
    )
    loadgen.header(
        f"Service requests on {vendor}, {stored:,} stored",
        pinning=cpus.describe(),
        server=server.describe(),
        clients=f"{options.concurrency} closed-loop processes, one keep-alive connection each",
        run=f"{options.seconds:.0f} s each after a {loadgen.WARM_UP_SECONDS:.0f} s warm-up",
    )
    with loadgen.running(server):
        status = loadgen.measure(
            "(c) status page GET",
            lambda client: workload.StatusPages(tracking_numbers, client=client),
            server,
            seconds=options.seconds,
            concurrency=options.concurrency,
        )
        print(status.line())
        posted = loadgen.measure(
            "(a) HTTP submission (Open311 POST)",
            lambda client: workload.Open311Submissions(pool, api_key=api_key, client=client),
            server,
            seconds=options.seconds,
            concurrency=options.concurrency,
        )
        print(posted.line())
    found = workload.stored_tracking_numbers(posted.reported)
    print(
        f"    acknowledged {len(posted.reported):,}, found in the database {len(found):,}, "
        f"lost {len(set(posted.reported) - found):,}"
    )
    print(_submit_in_process(pool, cpus, options.seconds).line())


def _submit_in_process(
    pool: list[workload.Submission], cpus: loadgen.Pinning, seconds: float
) -> loadgen.Outcome:
    from cityhall.catalog.models import Service
    from cityhall.servicerequests.models import ServiceRequest
    from cityhall.servicerequests.services import Contact, Location, submit_service_request

    if cpus.server is not None:
        os.sched_setaffinity(0, {int(cpu) for cpu in cpus.server.split(",")})
    services = {service.code: service for service in Service.objects.all()}

    def submit(number: int) -> None:
        submission = pool[number % len(pool)]
        submit_service_request(
            reporter=None,
            service=services[submission.service_code],
            description=submission.description,
            answers=submission.answers,
            location=Location(submission.latitude, submission.longitude),
            contact=Contact(email="reporter@example.org" if submission.needs_contact else ""),
            channel=ServiceRequest.Channel.API,
            idempotency_key=uuid.uuid4().hex,
            client_token="bench-in-process",  # noqa: S106 (not a secret)
        )

    loadgen.timed_loop("warm-up", submit, seconds=loadgen.WARM_UP_SECONDS)
    started = time.perf_counter()
    outcome = loadgen.timed_loop("(b) submit_service_request", submit, seconds=seconds)
    outcome.label += f" (in process, {time.perf_counter() - started:.0f} s)"
    return outcome


if __name__ == "__main__":
    main()
