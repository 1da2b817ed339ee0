"""Latency of the free-slot search over a busy city: many facilities, services and bookings.

Run: .venv/bin/python bench/appointment_slots.py [--facilities 100] [--services 40]
     [--days 90] [--fill 0.5] [--searches 500] [--window 21]

Builds a throw-away SQLite database in a temporary directory (or uses DATABASE_URL when
`--database-url` is given), creates the facilities (open Monday to Friday 8:30-12:00 and
13:00-16:30, three counters each offering eight of the services), and writes bookings in bulk
over `--days` days from today so that about `--fill` of every counter's time is taken. Then it
times `appointments.slots.slots_between` for random (facility, service) pairs over `--window`
days, as the portal's picker asks, and prints p50, p99 and max, the CPU time this process
spent per search (which, unlike the wall time, hardly moves when other work shares the
machine), and the queries per search.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cityhall.appointments.models import Booking, Counter, CounterService
    from cityhall.places.models import Facility

REPOSITORY = Path(__file__).resolve().parents[1]


def set_up_django(directory: Path, database_url: str | None) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build_city(
    args: argparse.Namespace, rng: random.Random
) -> list[tuple[Facility, CounterService]]:
    """Facilities, services, counters and bookings; returns the offered (facility, service)."""

    from django.db import connection

    from cityhall.appointments.models import (
        BookedCell,
        Booking,
        Counter,
        CounterService,
        OpeningHours,
    )
    from cityhall.appointments.slots import cells_of
    from cityhall.places.h3cells import cell_for
    from cityhall.places.models import Facility

    services = CounterService.objects.bulk_create(
        CounterService(
            code=f"bench-{n}", name_en=f"Service {n}", name_fr=f"Service {n}",
            duration_minutes=rng.choice([10, 15, 20, 30, 45]), booking_horizon_days=args.days,
            minimum_notice_minutes=0, max_open_bookings_per_person=1000,
        )
        for n in range(args.services)
    )  # fmt: skip
    facilities = Facility.objects.bulk_create(
        Facility(
            name_en=f"Office {n}", name_fr=f"Bureau {n}", kind=Facility.Kind.SERVICE_CENTRE,
            latitude=45.5, longitude=-73.6, h3_cell=cell_for(45.5, -73.6),
        )
        for n in range(args.facilities)
    )  # fmt: skip
    ranges = [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(16, 30))]
    OpeningHours.objects.bulk_create(
        OpeningHours(facility=f, weekday=d, opens_at=a, closes_at=b)
        for f in facilities
        for d in range(5)
        for a, b in ranges
    )
    pairs: list[tuple[Facility, CounterService]] = []
    counters: list[tuple[Counter, list[CounterService]]] = []
    for facility in facilities:
        offered = rng.sample(services, 8)
        pairs += [(facility, service) for service in offered]
        for label in ("1", "2", "3"):
            counter = Counter.objects.create(facility=facility, label=label)
            counter.services.set(offered)
            counters.append((counter, offered))
    bookings = _bookings(args, rng, counters, ranges)
    cell_rows = []
    Booking.objects.bulk_create(bookings, batch_size=2000)
    for booking in bookings:
        cell_rows += [
            BookedCell(booking=booking, counter_id=booking.counter_id, cell_start=cell)
            for cell in cells_of(booking.starts_at, booking.ends_at)
        ]
    BookedCell.objects.bulk_create(cell_rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after such a load
    print(f"{len(facilities)} facilities, {len(services)} services, {len(counters)} counters,")
    print(f"{len(bookings)} bookings over {args.days} days ({len(cell_rows)} booked cells)")
    return pairs


def _bookings(
    args: argparse.Namespace,
    rng: random.Random,
    counters: list[tuple[Counter, list[CounterService]]],
    ranges: list[tuple[dt.time, dt.time]],
) -> list[Booking]:
    """Bookings back to back on each counter, each slot taken with probability `--fill`."""
    from django.utils import timezone

    from cityhall.appointments.models import Booking
    from cityhall.appointments.slots import city_zone

    today = timezone.now().astimezone(city_zone()).date()
    bookings = []
    for counter, offered in counters:
        for offset in range(args.days):
            day = today + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for opens, closes in ranges:
                moment = dt.datetime.combine(day, opens, tzinfo=city_zone())
                end = dt.datetime.combine(day, closes, tzinfo=city_zone())
                while True:
                    service = rng.choice(offered)
                    length = dt.timedelta(minutes=service.duration_minutes)
                    if moment + length > end:
                        break
                    if rng.random() < args.fill:
                        bookings.append(
                            Booking(
                                service=service,
                                facility=counter.facility,
                                counter=counter,
                                starts_at=moment,
                                ends_at=moment + length,
                                status="confirmed",
                                contact_email="bench@example.org",
                            )
                        )
                    moment += length
    return bookings


def measure(
    args: argparse.Namespace, pairs: list[tuple[Facility, CounterService]], rng: random.Random
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cityhall.appointments.slots import city_zone, slots_between

    today = timezone.now().astimezone(city_zone()).date()
    timings, cpu, queries = [], [], []
    for _search in range(args.searches):
        facility, service = rng.choice(pairs)
        first = today + dt.timedelta(days=rng.randrange(max(1, args.days - args.window)))
        last = first + dt.timedelta(days=args.window - 1)
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            slots_between(service=service, facility=facility, first=first, last=last)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        queries.append(len(captured.captured_queries))
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"{args.searches} searches of {args.window} days on {connection.vendor}:")
    print(f"  p50 {statistics.median(timings):.1f} ms, p99 {p99:.1f} ms, max {timings[-1]:.1f} ms")
    cpu.sort()
    cpu_p99 = cpu[min(len(cpu) - 1, int(len(cpu) * 0.99))]
    print(
        f"  this process's CPU per search (the database server's not counted on PostgreSQL): "
        f"p50 {statistics.median(cpu):.1f} ms, p99 {cpu_p99:.1f} ms"
    )
    print(f"  queries per search: {max(queries)}; load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facilities", type=int, default=100)
    parser.add_argument("--services", type=int, default=40)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--fill", type=float, default=0.5)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--window", type=int, default=21)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as directory:
        set_up_django(Path(directory), args.database_url)
        started = time.perf_counter()
        pairs = build_city(args, rng)
        print(f"built in {time.perf_counter() - started:.0f} s")
        measure(args, pairs, rng)


if __name__ == "__main__":
    main()
