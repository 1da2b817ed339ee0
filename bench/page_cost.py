"""What each public portal page costs an anonymous visitor: requests/s and server CPU per request.

Run: .venv/bin/python bench/page_cost.py --database-url URL [--reuse] [--count N]
     [--seconds S] [--concurrency C] [--workers W] [--threads T] [--no-pinning]
     [--cache-url URL] [--pages NAME,...] [--checked N] [--in-process]

URL as for bench/seed_requests.py (a PostgreSQL database whose name contains "bench", or a
SQLite file under /tmp), seeded first with `--count` requests (100,000 by default; kept as
it is with --reuse). granian serves the app as in bench/loadgen.py, by default with two
workers (two web processes) and persistent database connections (CONN_MAX_AGE, 60 s), and
C closed-loop clients (16 by default) ask, one page at a time, in English and French:

- home: /en/ and /fr/;
- services: the services list, /<language>/services/;
- track: the tracking-number form, /<language>/requests/track/;
- status: a request's status page, /<language>/requests/<number>/, for `--checked`
  requests (100) drawn from all stored ones (the numbers people are checking at the moment),
  each page read once before the warm-up (with a local-memory cache, by one worker);
- status-first-visit: the same for requests drawn from all stored ones, so that nearly
  every visit is the first to its page since the server started (the cost of rendering);
- search: the services list searching for a word (?q=), never served from the cache.

Each prints requests/s, p50/p99 latency, the server's CPU time per request (CPU time of
granian's processes during the run, divided by the answers) and, on PostgreSQL, the CPU
time of the database sessions the server opened. The server's cache is its local memory
unless --cache-url names another (redis://127.0.0.1:6379/N: a database of the benchmark's
own; it is flushed first). Other work on the machine moves requests/s much more than CPU
per request; the load average is printed before each run.

With --in-process, no server runs: each page is asked for one at a time through Django's WSGI
handler in this process (debugging off, the same cache), and the CPU time of this process per
request is printed, which leaves out granian, the sockets and the clients.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests

#: How many requests' status pages are "being checked" in the status run (--checked).
CHECKED_REQUESTS = 100
#: Share of visits in French, as in bench/workload.py's status pages.
FRENCH_SHARE = 0.4
LANGUAGES = ("en", "fr")
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
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="Call Django's WSGI handler in this process instead of serving with granian.",
    )
    return parser.parse_args()


def main() -> None:
    chosen = options()
    if chosen.in_process:
        # Read by the settings when Django is set up: as the server runs (loadgen).
        os.environ.update({"CITYHALL_DEBUG": "false", "CACHE_URL": chosen.cache_url})
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
    if chosen.in_process:
        _in_process(paths, names, checked, seconds=chosen.seconds)
        return
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
        if "status" in names:
            _visit_once(
                server.port, [f"/{lang}/requests/{n}/" for n in checked for lang in LANGUAGES]
            )
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


def _in_process(
    paths: dict[str, Callable[..., str]],
    names: Sequence[str],
    checked: Sequence[str],
    *,
    seconds: float,
) -> None:
    """Each page through Django's WSGI handler in this process, one request at a time: the CPU
    a request costs without granian, sockets or clients beside it."""
    import django.db
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    rng = random.Random(5)
    loadgen.header(
        "Public pages for anonymous visitors, in process (Django's WSGI handler, no server)",
        database=django.db.connection.vendor,
        run=f"{seconds:.0f} s per page after a {loadgen.WARM_UP_SECONDS:.0f} s warm-up",
    )
    for name in names:
        if name == "status":
            for path in (f"/{lang}/requests/{n}/" for n in checked for lang in LANGUAGES):
                _wsgi_get(application, path)

        def call(_number: int, pick: Callable[..., str] = paths[name]) -> None:
            language = "fr" if rng.random() < FRENCH_SHARE else "en"
            _wsgi_get(application, pick(language, rng))

        loadgen.timed_loop("warm-up", call, seconds=loadgen.WARM_UP_SECONDS)
        started = time.process_time()
        outcome = loadgen.timed_loop(f"{name} (in process)", call, seconds=seconds)
        outcome.server_cpu = time.process_time() - started
        print(outcome.line(), flush=True)


def _wsgi_get(application: Callable[..., Any], address: str) -> None:
    path, _, query = address.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": loadgen.HOST,
        "SERVER_PORT": "8000",
        "HTTP_HOST": loadgen.HOST,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    statuses: list[str] = []
    body = b"".join(application(environ, lambda status, _headers, *_: statuses.append(status)))
    if not statuses[0].startswith("200") or not body:
        raise RuntimeError(f"GET {address}: {statuses[0]}")


def _visit_once(port: int, paths: Sequence[str]) -> None:
    """GET each of `paths` once, each on a new connection (which either worker may accept):
    the pages being checked have been read before."""
    for path in paths:
        connection = http.client.HTTPConnection(loadgen.HOST, port, timeout=30)
        connection.request("GET", path)
        connection.getresponse().read()
        connection.close()


def _flush_cache(cache_url: str) -> None:
    if not cache_url.startswith("redis"):
        return
    import redis

    redis.Redis.from_url(cache_url).flushdb()


if __name__ == "__main__":
    main()
