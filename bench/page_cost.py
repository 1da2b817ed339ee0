"""What each public portal page costs an anonymous visitor: requests/s and server CPU per request.

Run: .venv/bin/python bench/page_cost.py --database-url URL [--reuse] [--count N]
     [--seconds S] [--concurrency C] [--workers W] [--threads T] [--no-pinning]
     [--cache-url URL] [--pages NAME,...] [--checked N]

URL as for bench/seed_requests.py (a PostgreSQL database whose name contains "bench", or a
SQLite file under /tmp), seeded first with `--count` requests (100,000 by default; kept as
it is with --reuse). granian serves the app as in bench/loadgen.py, by default with two
workers (two web processes) and persistent database connections (CONN_MAX_AGE, 60 s), and
C closed-loop clients (16 by default) ask, one page at a time, in English and French:

- home: /en/ and /fr/;
- services: the services list, /<language>/services/;
- track: the tracking-number form, /<language>/requests/track/;
- status: a request's status page, /<language>/requests/<number>/, for `--checked`
  requests (200) drawn from all stored ones (the numbers people are checking at the moment);
- status-first-visit: the same for requests drawn from all stored ones, so that nearly
  every visit is the first to its page since the server started (the cost of rendering);
- search: the services list searching for a word (?q=), never served from the cache.

Each prints requests/s, p50/p99 latency, the server's CPU time per request (CPU time of
granian's processes during the run, divided by the answers) and, on PostgreSQL, the CPU
time of the database sessions the server opened. The server's cache is its local memory
unless --cache-url names another (redis://127.0.0.1:6379/N: a database of the benchmark's
own; it is flushed first). Other work on the machine moves requests/s much more than CPU
per request; the load average is printed before each run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests

#: How many requests' status pages are "being checked" in the status run (--checked).
CHECKED_REQUESTS = 200
#: Share of visits in French, as in bench/workload.py's status pages.
FRENCH_SHARE = 0.4
SEARCH_WORDS = ("pothole", "garbage", "light", "tree", "snow", "parking", "noise", "water")


class Pages(loadgen.Scenario):
    """GET one of `paths(language, rng)` at a time, in English or French."""

    def __init__(self, path: Callable[[str, random.Random], str], client: int) -> None:
        self.path = path
        # Seeded by the process id: the warm-up's clients and the measured run's differ.
        self.rng = random.Random(os.getpid() * 1000 + client)

    def next_call(self, number: int) -> loadgen.Call:
        language = "fr" if self.rng.random() < FRENCH_SHARE else "en"
        return loadgen.Call("GET", self.path(language, self.rng))


def page_paths(checked: Sequence[str], stored: Sequence[str]) -> dict[str, Callable[..., str]]:
    """Page name → how a client picks its next address, given a language and its generator."""
    return {
        "home": lambda language, _rng: f"/{language}/",
        "services": lambda language, _rng: f"/{language}/services/",
        "track": lambda language, _rng: f"/{language}/requests/track/",
        "status": lambda language, rng: f"/{language}/requests/{rng.choice(checked)}/",
        "status-first-visit": lambda language, rng: f"/{language}/requests/{rng.choice(stored)}/",
        "search": lambda language, rng: f"/{language}/services/?q={rng.choice(SEARCH_WORDS)}",
    }


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded.")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--no-pinning", action="store_true", help="Let the server and clients share all CPUs."
    )
    parser.add_argument("--cache-url", default="locmem://", help="The server's CACHE_URL.")
    parser.add_argument("--pages", default="", help="Comma-separated page names (all if empty).")
    parser.add_argument("--checked", type=int, default=CHECKED_REQUESTS)
    return parser.parse_args()


def main() -> None:
    chosen = options()
    stored_count = seed_requests.seeded_database(chosen)
    from django.db import connection, connections

    from cityhall.servicerequests.models import ServiceRequest

    stored = list(ServiceRequest.objects.values_list("tracking_number", flat=True))
    checked = random.Random(17).sample(stored, min(chosen.checked, len(stored)))
    vendor = connection.vendor
    connections.close_all()  # the clients are forked; they must not share a connection
    _flush_cache(chosen.cache_url)
    os.environ["CACHE_URL"] = chosen.cache_url  # read by loadgen.server_environment

    paths = page_paths(checked, stored)
    names = [name for name in chosen.pages.split(",") if name] or list(paths)
    cpus = loadgen.pinning(enabled=not chosen.no_pinning)
    server = loadgen.Server(
        chosen.database_url, cpus=cpus, workers=chosen.workers, threads=chosen.threads
    )
    loadgen.header(
        f"Public pages for anonymous visitors on {vendor}, {stored_count:,} requests stored",
        pinning=cpus.describe(),
        server=server.describe(),
        cache=chosen.cache_url,
        clients=f"{chosen.concurrency} closed-loop processes, one keep-alive connection each",
        run=f"{chosen.seconds:.0f} s per page after a {loadgen.WARM_UP_SECONDS:.0f} s warm-up",
    )
    with loadgen.running(server):
        for name in names:
            outcome = loadgen.measure(
                name,
                partial(Pages, paths[name]),
                server,
                seconds=chosen.seconds,
                concurrency=chosen.concurrency,
            )
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"{outcome.line()} [load average {load}]", flush=True)


def _flush_cache(cache_url: str) -> None:
    if not cache_url.startswith("redis"):
        return
    import redis

    redis.Redis.from_url(cache_url).flushdb()


if __name__ == "__main__":
    main()
