"""GeoReport v2 under load, with a million requests stored (issue 4's figures).

Run: .venv/bin/python bench/open311_load.py --database-url URL [--reuse] [--count N]
     [--seconds S] [--concurrency C] [--workers W] [--threads T] [--no-pinning]

URL is a PostgreSQL database of the benchmark's own (SQLite works too), seeded as by
bench/seed_requests.py unless --reuse finds it seeded. C closed-loop clients, pinned
apart from the server (see bench/loadgen.py), then measure in turn:

1. GET services.json;
2. a repeated filtered GET requests.json (one service, open requests, last 90 days, as an
   app polling its map does), (a) revalidating with If-None-Match as HTTP clients do, so
   that unchanged answers are 304s, and (b) without validators, always taking the body;
3. uncached filtered GET requests.json: every call a different service, 7-day window and
   status, so that no cache can answer;
4. POST requests.json with a partner key (open311:write) and an Idempotency-Key.

Prints requests/s, p50/p99 and the answers' statuses for each, and for the lists the mean
number of requests per answer. CPU time per answer, of the server and (on PostgreSQL) of the
database's backends, is printed too: unlike requests/s, it hardly moves when other work shares
the machine.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests
import workload

SERVICES = "/open311/v2/services.json"


class Get(loadgen.Scenario):
    """GET one of `paths` in turn; with `revalidate`, send back the ETag last seen for it."""

    def __init__(self, paths: Sequence[str], *, revalidate: bool = False) -> None:
        self.paths = paths
        self.revalidate = revalidate
        self.etags: dict[str, str] = {}

    def next_call(self, number: int) -> loadgen.Call:
        path = self.paths[number % len(self.paths)]
        etag = self.etags.get(path) if self.revalidate else None
        return loadgen.Call("GET", path, headers={"If-None-Match": etag} if etag else {})

    def answered(self, call: loadgen.Call, answer: loadgen.Answer) -> Any:
        if "etag" in answer.headers:
            self.etags[call.path] = answer.headers["etag"]
        if answer.status == 200 and call.path.startswith(workload.OPEN311_REQUESTS):
            # Counted without parsing, so that the client's CPU goes to sending requests.
            return answer.body.count(b'"service_request_id"')
        return None


def uncached_paths(codes: Sequence[str], *, count: int, client: int) -> list[str]:
    """`count` distinct filtered lists: a service, a 7-day window in the last two years, and
    open, closed or any status."""
    rng = random.Random(f"uncached-{client}")
    now = datetime.now().astimezone()
    paths = []
    for _number in range(count):
        start = now - timedelta(seconds=rng.uniform(7 * 86400, 730 * 86400))
        query = {
            "service_code": rng.choice(codes),
            "start_date": start.isoformat(timespec="seconds"),
            "end_date": (start + timedelta(days=7)).isoformat(timespec="seconds"),
        }
        status = rng.choice(["", "open", "closed"])
        if status:
            query["status"] = status
        paths.append(f"{workload.OPEN311_REQUESTS}?{urlencode(query)}")
    return paths


def main() -> None:
    options = seed_requests.load_options(__doc__.splitlines()[0])
    stored = seed_requests.seeded_database(options)
    from django.db import connection, connections

    from cityhall.catalog.models import Service

    pool = workload.submissions(2000)
    api_key = workload.create_open311_key()
    codes = sorted(Service.objects.filter(is_active=True).values_list("code", flat=True))
    busiest = _busiest_code()
    vendor = connection.vendor
    connections.close_all()

    cpus = loadgen.pinning(enabled=not options.no_pinning)
    server = loadgen.Server(
        options.database_url, cpus=cpus, workers=options.workers, threads=options.threads
    )
    repeated = f"{workload.OPEN311_REQUESTS}?{urlencode({'service_code': busiest})}&status=open"
    loadgen.header(
        f"Open311 GeoReport v2 on {vendor}, {stored:,} stored",
        pinning=cpus.describe(),
        server=server.describe(),
        clients=f"{options.concurrency} closed-loop processes, one keep-alive connection each",
        run=f"{options.seconds:.0f} s each after a {loadgen.WARM_UP_SECONDS:.0f} s warm-up",
        repeated_list=repeated,
    )
    runs: list[tuple[str, Callable[[int], loadgen.Scenario]]] = [
        ("1. GET services", lambda client: Get([SERVICES])),
        ("2a. repeated GET requests, ETag", lambda client: Get([repeated], revalidate=True)),
        ("2b. repeated GET requests, no ETag", lambda client: Get([repeated])),
        (
            "3. uncached filtered GET requests",
            lambda client: Get(uncached_paths(codes, count=20_000, client=client)),
        ),
        (
            "4. POST requests",
            lambda client: workload.Open311Submissions(pool, api_key=api_key, client=client),
        ),
    ]
    with loadgen.running(server):
        for label, make_scenario in runs:
            outcome = loadgen.measure(
                label,
                make_scenario,
                server,
                seconds=options.seconds,
                concurrency=options.concurrency,
            )
            print(outcome.line() + _sizes(label, outcome.reported))


def _busiest_code() -> str:
    """The service with the most open requests: the list a map app polls hardest."""
    from django.db.models import Count

    from cityhall.servicerequests.models import ServiceRequest

    row = (
        ServiceRequest.objects.filter(status__in=ServiceRequest.OPEN_STATUSES)
        .values("service__code")
        .annotate(open_count=Count("id"))
        .order_by("-open_count")
        .first()
    )
    return str(row["service__code"]) if row else "pothole"


def _sizes(label: str, reported: list[Any]) -> str:
    if "requests" not in label or label.startswith("4.") or not reported:
        return ""
    return f"\n    {sum(reported) / len(reported):.0f} requests per 200 answer on average"


if __name__ == "__main__":
    main()
