"""Booking appointments through HTTP on PostgreSQL, with concurrent clients, then a double-booking
check in the database.

Run: .venv/bin/python bench/appointment_booking_http.py
     [--database-url postgres://postgres@127.0.0.1:5432/cityhall_booking_bench]
     [--seconds 20] [--concurrency 8] [--workers 1] [--threads 4] [--no-pinning]
     [--facilities 20] [--counters 3] [--days 60] [--pool 4000] [--profile 300]

The database (its name must contain "bench") is dropped and created again, migrated, and
given `--facilities` facilities open every day 08:00-20:00 with `--counters` counters each,
offering one 15-minute service bookable `--days` ahead, and one citizen with a personal
access token per client. The server under test is granian as in the other HTTP benches
(bench/loadgen.py: pinned apart from the clients, rate limits off, no task worker: the
confirmation each booking queues waits in the task table).

Each client POSTs /api/v1/appointments/bookings as its own citizen for slot starts drawn at
random from a shared pool of `--pool` (facility, start) pairs, so that clients race for the
same times: a start is free while one of its counters is, then answers 409 `slot_taken`.
Prints bookings/s (201 answers) with p50/p99, the 409s, the server's and PostgreSQL's CPU
per request, and then checks in the database that no counter holds two active bookings
at overlapping times, that every active booking holds all its cells, and that every
acknowledged booking is stored. With `--profile N`, N bookings are also made in this process
through Django's test client under cProfile, and the functions costing most are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).absolute().parent))

import loadgen
import seed_requests

BOOKINGS = "/api/v1/appointments/bookings"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/cityhall_booking_bench"
OPENS, CLOSES = dt.time(8, 0), dt.time(20, 0)
DURATION = 15


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-pinning", action="store_true")
    parser.add_argument("--facilities", type=int, default=20)
    parser.add_argument("--counters", type=int, default=3)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--pool", type=int, default=4000)
    parser.add_argument("--profile", type=int, default=0)
    found = parser.parse_args()
    if not found.database_url.startswith("postgres"):
        parser.error("this benchmark measures PostgreSQL: give a postgres:// URL")
    return found


def build(args: argparse.Namespace) -> tuple[str, list[tuple[str, str]], list[str]]:
    """The service code, the pool of (facility id, start), and one bearer token per client."""
    from cityhall.accounts.services import create_personal_access_token
    from cityhall.accounts.tests.factories import UserFactory
    from cityhall.appointments.models import Counter, CounterService, OpeningHours
    from cityhall.appointments.slots import city_zone, local_moment
    from cityhall.places.h3cells import cell_for
    from cityhall.places.models import Facility

    service = CounterService.objects.create(
        code="bench-booking", name_en="Bench booking", name_fr="Réservation d'essai",
        duration_minutes=DURATION, booking_horizon_days=args.days + 1,
        minimum_notice_minutes=0, max_open_bookings_per_person=32_000,
    )  # fmt: skip
    facilities = Facility.objects.bulk_create(
        Facility(
            name_en=f"Office {n}", name_fr=f"Bureau {n}", kind=Facility.Kind.SERVICE_CENTRE,
            latitude=45.5, longitude=-73.6, h3_cell=cell_for(45.5, -73.6),
        )
        for n in range(args.facilities)
    )  # fmt: skip
    OpeningHours.objects.bulk_create(
        OpeningHours(facility=f, weekday=d, opens_at=OPENS, closes_at=CLOSES)
        for f in facilities
        for d in range(7)
    )
    for facility in facilities:
        for label in range(1, args.counters + 1):
            Counter.objects.create(facility=facility, label=str(label)).services.add(service)
    tomorrow = dt.datetime.now(city_zone()).date() + dt.timedelta(days=1)
    starts = []
    for offset in range(args.days):
        moment = local_moment(tomorrow + dt.timedelta(days=offset), OPENS)
        while moment is not None and moment.time() < CLOSES:
            starts.append(moment)
            moment += dt.timedelta(minutes=DURATION)
    rng = random.Random(2031)
    pool = [
        (str(rng.choice(facilities).public_id), rng.choice(starts).isoformat())
        for _pair in range(args.pool)
    ]
    tokens = [
        create_personal_access_token(
            actor=None, owner=UserFactory(email=f"bench-{n}@example.org"), name="Bench"
        ).token
        for n in range(args.concurrency)
    ]
    return service.code, pool, tokens


class Bookings(loadgen.Scenario):
    """POST a booking for a random (facility, start) of the shared pool, as one citizen."""

    def __init__(self, service: str, pool: list[tuple[str, str]], token: str, seed: int):
        self.service, self.pool = service, pool
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.rng = random.Random(seed)

    def next_call(self, number: int) -> loadgen.Call:
        facility, starts_at = self.rng.choice(self.pool)
        body = {"service": self.service, "facility": facility, "starts_at": starts_at}
        return loadgen.Call("POST", BOOKINGS, json.dumps(body).encode(), self.headers)

    def answered(self, call: loadgen.Call, answer: loadgen.Answer) -> Any:
        if answer.status == 201:
            return json.loads(answer.body)["id"]
        return None


def check(acknowledged: list[str]) -> None:
    """Count double bookings, bookings missing cells, and acknowledged bookings not stored."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM appointments_booking a JOIN appointments_booking b
              ON a.counter_id = b.counter_id AND a.id < b.id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
             WHERE a.status IN ('awaiting', 'confirmed') AND b.status IN ('awaiting', 'confirmed')
            """
        )
        overlapping = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM appointments_booking b
             WHERE b.status IN ('awaiting', 'confirmed')
               AND (SELECT count(*) FROM appointments_bookedcell c WHERE c.booking_id = b.id)
                   * 300 <> extract(epoch FROM b.ends_at - b.starts_at)
            """
        )
        missing_cells = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM appointments_booking WHERE public_id::text = ANY(%s)",
            [acknowledged],
        )
        stored = cursor.fetchone()[0]
    print(
        f"    check: {overlapping} pairs of active bookings overlap on a counter (double "
        f"bookings), {missing_cells} active bookings without all their cells, "
        f"{stored:,} of {len(acknowledged):,} acknowledged bookings stored"
    )


def profile(service: str, pool: list[tuple[str, str]], count: int) -> None:
    """Book `count` times in this process through the test client; print what costs most."""
    from django.test import Client

    from cityhall.accounts.services import create_personal_access_token
    from cityhall.accounts.tests.factories import UserFactory

    token = create_personal_access_token(
        actor=None, owner=UserFactory(email="bench-profile@example.org"), name="Bench"
    ).token
    client = Client(headers={"Authorization": f"Bearer {token}"}, SERVER_NAME="localhost")
    rng = random.Random(5)
    profiler = cProfile.Profile(time.process_time)  # CPU time: the machine may be shared
    statuses: dict[int, int] = {}
    profiler.enable()
    for _booking in range(count):
        facility, starts_at = rng.choice(pool)
        body = {"service": service, "facility": facility, "starts_at": starts_at}
        status = client.post(BOOKINGS, body, content_type="application/json").status_code
        statuses[status] = statuses.get(status, 0) + 1
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"cityhall/|rest_framework/views|django/db/backends/utils|psycopg/cursor", 30)
    print(
        f"\n== CPU profile of {count} bookings in process (statuses {statuses}), "
        "by cumulative CPU time"
    )
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def main() -> None:
    args = options()
    # As for the server: one caller makes every booking of the in-process profile.
    os.environ["RATE_LIMIT_API_CALLERS"] = os.environ["RATE_LIMIT_API_ADDRESSES"] = "off"
    seed_requests.reset_database(args.database_url)
    seed_requests.setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    service, pool, tokens = build(args)
    connections.close_all()  # the clients are forked; they must not share a connection

    cpus = loadgen.pinning(enabled=not args.no_pinning)
    server = loadgen.Server(
        args.database_url, cpus=cpus, workers=args.workers, threads=args.threads
    )
    loadgen.header(
        "Booking appointments through HTTP on PostgreSQL",
        pinning=cpus.describe(),
        server=server.describe(),
        clients=f"{args.concurrency} closed-loop processes, one keep-alive connection each",
        city=f"{args.facilities} facilities x {args.counters} counters, 15-minute slots "
        f"08:00-20:00 over {args.days} days; a pool of {args.pool:,} (facility, start) pairs "
        f"shared by the clients",
        run=f"{args.seconds:.0f} s after a {loadgen.WARM_UP_SECONDS:.0f} s warm-up",
    )
    with loadgen.running(server):
        outcome = loadgen.measure(
            "POST bookings",
            lambda client: Bookings(service, pool, tokens[client], seed=client),
            server,
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
    print(outcome.line())
    booked = outcome.statuses.get(201, 0)
    print(
        f"    bookings/s (201 answers): {booked / outcome.seconds:,.0f}; "
        f"slot taken (409): {outcome.statuses.get(409, 0):,}"
    )
    check(outcome.reported)
    if args.profile:
        profile(service, pool, args.profile)


if __name__ == "__main__":
    main()
