"""Wait estimates on a simulated busy day at a borough office, against the actual waits.

Run: .venv/bin/python bench/busy_day.py [--seed 11] [--days 3] [--history-days 10]
     [--database-url postgres://postgres@127.0.0.1:5432/cityhall_bench]

Builds a throw-away SQLite database in a temporary directory (or uses `--database-url`), an
office open 8:30-16:30 with four services and six counters, `--history-days` past weekdays of
served visits (bulk-created from the same distributions, so the estimator has something to
learn from), then replays `--days` busy days through the queue's real services (take_ticket,
check_in_booking, call_next, start_serving, finish_visit, mark_no_show, open and close
counter sessions) on a simulated clock. When each visit joins, it records
`wait_estimates.estimate_wait` and the naive estimate (people waiting ahead for the same service
x that service's mean time); when the visit is called, its actual wait. It prints the mean
absolute error (MAE) of both, and of two other baselines: the naive one divided by the counters
open for the service, and the whole queue ahead x the mean time of all services / the counters
open.

Each day is drawn with the seed (the constants below):
- walk-ins: Poisson arrivals whose rate varies by hour (HOURLY_WALK_INS, about 200 a day),
  service mix WALK_IN_MIX, 4 % with accessibility priority, 5 % gone when called;
- bookings: every 20 minutes from 9:00 to 16:00 on two booking desks' worth of time (about 40),
  10 % no-shows, arrival offset normal(mean -6 min, sd 8 min), clipped to 50 min early;
- service times: log-normal per service (SERVICES: median, sigma), times a speed factor per
  counter (0.85 to 1.2), plus 0.3-1.2 min walking up after the call, 0-1 min between visits;
- counters: six, four all day with staggered lunch breaks (11:30-12:15, 12:15-13:00), one
  9:30-15:30 and one extra at the morning and afternoon peaks (SHIFTS).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import heapq
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cityhall.accounts.models import User
    from cityhall.appointments.models import Counter, CounterService, Visit
    from cityhall.places.models import Facility

REPOSITORY = Path(__file__).resolve().parents[1]

#: code: (median minutes, sigma of the logarithm, booked minutes, walk-in share)
SERVICES = {
    "id-card": (7.0, 0.45, 10, 0.40),
    "parking-permit": (5.0, 0.40, 10, 0.30),
    "civil-status": (12.0, 0.50, 15, 0.20),
    "tax-account": (15.0, 0.60, 20, 0.10),
}
WALK_IN_MIX = {code: spec[3] for code, spec in SERVICES.items()}
#: Walk-ins per hour, from the hour starting at the key (local time); closes at 16:30.
HOURLY_WALK_INS = {8: 22, 9: 28, 10: 32, 11: 30, 12: 30, 13: 26, 14: 22, 15: 18, 16: 8}
OPENS, CLOSES = dt.time(8, 30), dt.time(16, 30)
#: counter label: (speed factor, services, [(from, to), ...] on duty)
SHIFTS: dict[str, tuple[float, tuple[str, ...], list[tuple[str, str]]]] = {
    "1": (0.90, tuple(SERVICES), [("08:30", "11:30"), ("12:15", "16:30")]),
    "2": (1.00, tuple(SERVICES), [("08:30", "11:30"), ("12:15", "16:30")]),
    "3": (1.15, tuple(SERVICES), [("08:30", "12:15"), ("13:00", "16:30")]),
    "4": (1.00, ("id-card", "parking-permit"), [("08:30", "12:15"), ("13:00", "16:30")]),
    "5": (0.85, ("civil-status", "tax-account"), [("09:30", "12:30"), ("13:15", "15:30")]),
    "6": (1.20, ("id-card", "parking-permit", "civil-status"),
          [("10:00", "12:00"), ("14:00", "16:00")]),
}  # fmt: skip
PRIORITY_SHARE = 0.04
WALK_IN_GONE_SHARE = 0.05
BOOKING_NO_SHOW_SHARE = 0.10
BOOKING_EVERY = dt.timedelta(minutes=20)


@dataclasses.dataclass(frozen=True)
class Arrival:
    #: None: a booking whose holder never comes.
    at: dt.datetime | None
    service: str
    needs_priority: bool
    gone_when_called: bool
    #: The booking's time, for an appointment.
    due_at: dt.datetime | None = None


def set_up_django(directory: Path, database_url: str | None) -> None:
    os.environ["CITYHALL_ENV"] = "test"
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["TASKS_BACKEND"] = "database"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPOSITORY))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def zone() -> Any:
    from cityhall.appointments.slots import city_zone

    return city_zone()


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=zone())


def service_minutes(rng: random.Random, service: str, speed: float) -> float:
    median, sigma = SERVICES[service][:2]
    return rng.lognormvariate(math.log(median), sigma) * speed


def draw_walk_ins(rng: random.Random, day: dt.date) -> list[Arrival]:
    """Poisson arrivals with an hourly rate: exponential gaps, drawn hour by hour."""
    arrivals = []
    opens, closes = at(day, OPENS.isoformat()), at(day, CLOSES.isoformat())
    for hour, rate in HOURLY_WALK_INS.items():
        start = max(opens, at(day, f"{hour:02d}:00"))
        end = min(closes, at(day, f"{hour:02d}:00") + dt.timedelta(hours=1))
        moment = start + dt.timedelta(hours=rng.expovariate(rate))
        while moment < end:
            service = rng.choices(list(WALK_IN_MIX), weights=list(WALK_IN_MIX.values()))[0]
            arrivals.append(
                Arrival(
                    moment, service, rng.random() < PRIORITY_SHARE,
                    rng.random() < WALK_IN_GONE_SHARE,
                )
            )  # fmt: skip
            moment += dt.timedelta(hours=rng.expovariate(rate))
    return arrivals


def draw_bookings(rng: random.Random, day: dt.date) -> list[Arrival]:
    """Two bookings every BOOKING_EVERY from 9:00 to 16:00, some late, some never coming."""
    arrivals = []
    due = at(day, "09:00")
    while due < at(day, "16:00"):
        for _desk in range(2):
            service = rng.choice(list(SERVICES))
            offset = max(-50.0, rng.gauss(-6, 8))
            comes = rng.random() >= BOOKING_NO_SHOW_SHARE
            arrives = due + dt.timedelta(minutes=offset) if comes else None
            arrivals.append(Arrival(arrives, service, False, False, due_at=due))
        due += BOOKING_EVERY
    return arrivals


@dataclasses.dataclass
class Office:
    facility: Facility
    services: dict[str, CounterService]
    counters: dict[str, Counter]
    staff: dict[str, User]


def build_office() -> Office:
    from cityhall.accounts.models import User
    from cityhall.appointments.models import Counter, CounterService, OpeningHours
    from cityhall.places.h3cells import cell_for
    from cityhall.places.models import Facility

    facility = Facility.objects.create(
        name_en="Borough office", name_fr="Bureau d'arrondissement",
        kind=Facility.Kind.SERVICE_CENTRE, latitude=45.5, longitude=-73.6,
        h3_cell=cell_for(45.5, -73.6),
    )  # fmt: skip
    OpeningHours.objects.bulk_create(
        OpeningHours(facility=facility, weekday=day, opens_at=OPENS, closes_at=CLOSES)
        for day in range(5)
    )
    services = {
        code: CounterService.objects.create(
            code=f"{code}-{facility.pk}", name_en=code, name_fr=code, duration_minutes=booked,
            minimum_notice_minutes=0, max_open_bookings_per_person=1000,
        )
        for code, (_median, _sigma, booked, _share) in SERVICES.items()  # codes unique per run
    }  # fmt: skip
    counters, staff = {}, {}
    for label, (_speed, offered, _shifts) in SHIFTS.items():
        counters[label] = Counter.objects.create(facility=facility, label=label)
        counters[label].services.set([services[code] for code in offered])
        staff[label] = User.objects.create_user(
            email=f"desk{label}-office{facility.pk}@bench.example.org", password=None
        )
    return Office(facility, services, counters, staff)


def weekdays_before(day: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


def write_history(office: Office, rng: random.Random, days: list[dt.date]) -> None:
    """Past counter sessions, and visits served back to back at each counter during them."""
    from cityhall.appointments.models import CounterSession, Visit

    rows, sessions = [], []
    for day in days:
        number = 0
        for label, (speed, offered, shifts) in SHIFTS.items():
            for start, end in shifts:
                moment, stop = at(day, start), at(day, end)
                sessions.append(
                    CounterSession(
                        counter=office.counters[label], staff=office.staff[label],
                        opened_at=moment, closed_at=stop,
                    )
                )  # fmt: skip
                while moment < stop:
                    number += 1
                    code = rng.choices(offered, weights=[WALK_IN_MIX[c] for c in offered])[0]
                    gone = rng.random() < WALK_IN_GONE_SHARE
                    walk_up = rng.uniform(0.3, 1.2)
                    held = 2.0 if gone else walk_up + service_minutes(rng, code, speed)
                    finished = moment + dt.timedelta(minutes=held)
                    rows.append(
                        Visit(
                            facility=office.facility, service=office.services[code],
                            day=day, number=f"H{number:03d}", kind=Visit.Kind.WALK_IN,
                            channel=Visit.Channel.KIOSK,
                            status=Visit.Status.NO_SHOW if gone else Visit.Status.SERVED,
                            joined_at=moment - dt.timedelta(minutes=rng.uniform(0, 30)),
                            called_at=moment, counter=office.counters[label],
                            serving_started_at=(
                                None if gone else moment + dt.timedelta(minutes=walk_up)
                            ),
                            finished_at=finished,
                        )
                    )  # fmt: skip
                    moment = finished + dt.timedelta(minutes=rng.uniform(0, 1))
    Visit.objects.bulk_create(rows, batch_size=2000)
    CounterSession.objects.bulk_create(sessions)


def write_bookings(office: Office, day: dt.date, arrivals: list[Arrival]) -> list[Any]:
    """The day's confirmed bookings, one per appointment arrival (same order)."""
    from cityhall.appointments.models import Booking

    bookings = []
    for arrival in arrivals:
        assert arrival.due_at is not None
        service = office.services[arrival.service]
        counter = next(c for c in office.counters.values() if service in c.services.all())
        bookings.append(
            Booking.objects.create(
                service=service, facility=office.facility, counter=counter,
                starts_at=arrival.due_at,
                ends_at=arrival.due_at + dt.timedelta(minutes=service.duration_minutes),
                status=Booking.Status.CONFIRMED, contact_email="bench@example.org",
            )
        )  # fmt: skip
    return bookings


@dataclasses.dataclass
class Record:
    kind: str
    joined_at: dt.datetime
    estimate: dt.timedelta | None
    naive: dt.timedelta
    naive_per_counter: dt.timedelta
    whole_queue: dt.timedelta
    called_at: dt.datetime | None = None


@dataclasses.dataclass
class Desk:
    counter: Counter
    staff: User
    speed: float
    session: Any = None
    visit: Visit | None = None
    closing: bool = False
    #: Stays on duty after its shift until nobody waits for it (the day's last shift).
    drains: bool = False


class Replay:
    """One day played through the queue's services on a simulated clock."""

    def __init__(self, office: Office, rng: random.Random, means: dict[int, float]) -> None:
        self.office, self.rng, self.means = office, rng, means
        self.events: list[tuple[dt.datetime, int, str, Any]] = []
        self.sequence = 0
        self.records: dict[int, Record] = {}
        self.gone: set[int] = set()
        self.estimate_seconds: list[float] = []
        self.desks = {
            label: Desk(office.counters[label], office.staff[label], speed)
            for label, (speed, _offered, _shifts) in SHIFTS.items()
        }

    def push(self, moment: dt.datetime, kind: str, data: Any) -> None:
        self.sequence += 1
        heapq.heappush(self.events, (moment, self.sequence, kind, data))

    def plan(
        self, day: dt.date, walk_ins: list[Arrival], bookings: list[tuple[Arrival, Any]]
    ) -> None:
        for label, (_speed, _offered, shifts) in SHIFTS.items():
            for start, end in shifts:
                self.push(at(day, start), "open", label)
                self.push(at(day, end), "close", (label, end == CLOSES.strftime("%H:%M")))
        for arrival in walk_ins:
            assert arrival.at is not None
            self.push(arrival.at, "walk_in", arrival)
        for arrival, booking in bookings:
            if arrival.at is not None:
                self.push(arrival.at, "check_in", (arrival, booking))

    def run(self) -> None:
        while self.events:
            moment, _sequence, kind, data = heapq.heappop(self.events)
            getattr(self, f"on_{kind}")(moment, data)

    # The staff's side -------------------------------------------------------------------

    def on_open(self, moment: dt.datetime, label: str) -> None:
        from cityhall.appointments.services_queue import open_counter_session

        desk = self.desks[label]
        desk.session = open_counter_session(counter=desk.counter, staff=desk.staff, now=moment)
        desk.closing = desk.drains = False
        self.call(moment, desk)

    def on_close(self, moment: dt.datetime, data: tuple[str, bool]) -> None:
        label, drains = data
        desk = self.desks[label]
        desk.closing, desk.drains = True, drains
        if desk.visit is None:
            self.call(moment, desk) if drains else self.close(moment, desk)

    def close(self, moment: dt.datetime, desk: Desk) -> None:
        from cityhall.appointments.services_queue import close_counter_session

        close_counter_session(session=desk.session, actor=desk.staff, now=moment)
        desk.session = None

    def call(self, moment: dt.datetime, desk: Desk) -> None:
        from cityhall.appointments.services_queue import call_next

        if desk.session is None or desk.visit is not None:
            return
        if desk.closing and not desk.drains:
            self.close(moment, desk)
            return
        visit = call_next(counter=desk.counter, actor=desk.staff, now=moment)
        if visit is None:
            if desk.closing:
                self.close(moment, desk)
            return
        desk.visit = visit
        self.records[visit.pk].called_at = moment
        if visit.pk in self.gone:
            self.push(moment + dt.timedelta(minutes=2), "no_show", desk)
        else:
            walk_up = dt.timedelta(minutes=self.rng.uniform(0.3, 1.2))
            self.push(moment + walk_up, "start", desk)

    def on_start(self, moment: dt.datetime, desk: Desk) -> None:
        from cityhall.appointments.services_queue import start_serving

        assert desk.visit is not None
        desk.visit = start_serving(visit=desk.visit, actor=desk.staff, now=moment)
        code = desk.visit.service.name_en
        took = dt.timedelta(minutes=service_minutes(self.rng, code, desk.speed))
        self.push(moment + took, "finish", desk)

    def on_finish(self, moment: dt.datetime, desk: Desk) -> None:
        from cityhall.appointments.services_queue import finish_visit

        assert desk.visit is not None
        finish_visit(visit=desk.visit, actor=desk.staff, now=moment)
        self.freed(moment, desk)

    def on_no_show(self, moment: dt.datetime, desk: Desk) -> None:
        from cityhall.appointments.services_queue import mark_no_show

        assert desk.visit is not None
        mark_no_show(visit=desk.visit, actor=desk.staff, now=moment)
        self.freed(moment, desk)

    def freed(self, moment: dt.datetime, desk: Desk) -> None:
        desk.visit = None
        pause = dt.timedelta(minutes=self.rng.uniform(0, 1))
        self.push(moment + pause, "free", desk)

    def on_free(self, moment: dt.datetime, desk: Desk) -> None:
        self.call(moment, desk)

    # The visitors' side -----------------------------------------------------------------

    def on_walk_in(self, moment: dt.datetime, arrival: Arrival) -> None:
        from cityhall.appointments.models import Visit
        from cityhall.appointments.services_queue import take_ticket

        visit = take_ticket(
            facility=self.office.facility, service=self.office.services[arrival.service],
            channel=Visit.Channel.KIOSK, actor=None, needs_priority=arrival.needs_priority,
            now=moment,
        )  # fmt: skip
        if arrival.gone_when_called:
            self.gone.add(visit.pk)
        self.joined(moment, visit, "walk-in")

    def on_check_in(self, moment: dt.datetime, data: tuple[Arrival, Any]) -> None:
        from cityhall.appointments.services_queue import check_in_booking

        _arrival, booking = data
        visit = check_in_booking(booking=booking, actor=None, now=moment)
        self.joined(moment, visit, "appointment")

    def joined(self, moment: dt.datetime, visit: Visit, kind: str) -> None:
        from django.db.models import Count

        from cityhall.appointments.models import Visit
        from cityhall.appointments.wait_estimates import estimate_wait

        started = time.perf_counter()
        estimate = estimate_wait(visit, now=moment)
        self.estimate_seconds.append(time.perf_counter() - started)
        ahead = dict(
            Visit.objects.filter(
                facility=self.office.facility, status=Visit.Status.WAITING, joined_at__lt=moment
            )
            .values_list("service_id")
            .annotate(count=Count("id"))
        )
        on_duty = [d for d in self.desks.values() if d.session is not None and not d.closing]
        for_service = sum(visit.service.name_en in SHIFTS[d.counter.label][1] for d in on_duty)
        naive = dt.timedelta(seconds=ahead.get(visit.service_id, 0) * self.means[visit.service_id])
        whole = sum(n * self.means[service_id] for service_id, n in ahead.items())
        self.records[visit.pk] = Record(
            kind, moment, estimate, naive, naive / max(for_service, 1),
            dt.timedelta(seconds=whole / max(len(on_duty), 1)),
        )  # fmt: skip
        for desk in self.desks.values():
            self.call(moment, desk)


def history_means(office: Office) -> dict[int, float]:
    """Each service's mean seconds at the counter over the history (the naive estimate's)."""
    from cityhall.appointments.models import Visit

    seconds: dict[int, list[float]] = defaultdict(list)
    for service_id, called_at, finished_at in Visit.objects.filter(
        facility=office.facility, status=Visit.Status.SERVED
    ).values_list("service_id", "called_at", "finished_at"):
        if called_at is not None and finished_at is not None:
            seconds[service_id].append((finished_at - called_at).total_seconds())
    return {service_id: statistics.fmean(values) for service_id, values in seconds.items()}


def minutes(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 60


def actual_wait(record: Record) -> dt.timedelta:
    assert record.called_at is not None
    return record.called_at - record.joined_at


BASELINES: dict[str, Callable[[Record], dt.timedelta | None]] = {
    "estimator (wait_estimates)": lambda r: r.estimate,
    "naive: waiting ahead x mean time": lambda r: r.naive,
    "naive / counters open for it": lambda r: r.naive_per_counter,
    "whole queue x mean / counters open": lambda r: r.whole_queue,
}


def mean_absolute_error(records: list[Record], pick: Callable[[Record], Any]) -> float:
    return statistics.fmean(abs(minutes(pick(r)) - minutes(actual_wait(r))) for r in records)


def report(records: list[Record], estimate_seconds: list[float], vendor: str) -> None:
    called = [r for r in records if r.called_at is not None]
    waits = [minutes(actual_wait(r)) for r in called]
    walk_ins = sum(r.kind == "walk-in" for r in records)
    print(f"{len(records)} visits joined on {vendor} ({walk_ins} walk-ins), {len(called)} called")
    print(
        f"actual wait: mean {statistics.fmean(waits):.1f} min,"
        f" median {statistics.median(waits):.1f}, max {max(waits):.1f}"
    )
    estimated = [r for r in called if r.estimate is not None]
    print(f"{len(called) - len(estimated)} called visits had no estimate (no counter open)")
    print(f"{'mean absolute error (min)':<36}{'all':>8}{'walk-ins':>10}{'appts':>8}")
    errors = {}
    for name, pick in BASELINES.items():
        groups = [
            estimated,
            [r for r in estimated if r.kind == "walk-in"],
            [r for r in estimated if r.kind == "appointment"],
        ]
        all_, walk_in, appointment = (mean_absolute_error(g, pick) for g in groups)
        errors[name] = all_
        print(f"{name:<36}{all_:>8.1f}{walk_in:>10.1f}{appointment:>8.1f}")
    bias = statistics.fmean(minutes(r.estimate - actual_wait(r)) for r in estimated if r.estimate)
    print(f"estimator's mean signed error: {bias:+.1f} min (negative: waits underestimated)")
    ours, naive = errors["estimator (wait_estimates)"], errors["naive: waiting ahead x mean time"]
    print(
        f"estimator vs naive: {100 * (ours - naive) / naive:+.0f} % error (goal: -30 % or better)"
    )
    timings = sorted(estimate_seconds)
    print(
        f"estimate_wait: p50 {1000 * statistics.median(timings):.1f} ms,"
        f" p99 {1000 * timings[int(len(timings) * 0.99)]:.1f} ms"
        " (history is read once per five minutes of the clock)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--history-days", type=int, default=10)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as directory:
        set_up_django(Path(directory), args.database_url)
        from django.db import connection

        started = time.perf_counter()
        office = build_office()
        first = dt.date(2031, 3, 4)  # a Tuesday
        write_history(office, rng, weekdays_before(first, args.history_days))
        means = history_means(office)
        records: list[Record] = []
        estimate_seconds: list[float] = []
        day = first
        for _day in range(args.days):
            walk_ins = draw_walk_ins(rng, day)
            appointments = draw_bookings(rng, day)
            replay = Replay(office, rng, means)
            replay.plan(
                day,
                walk_ins,
                list(zip(appointments, write_bookings(office, day, appointments), strict=True)),
            )
            replay.run()
            records += replay.records.values()
            estimate_seconds += replay.estimate_seconds
            day = next(
                d for d in (day + dt.timedelta(days=n) for n in range(1, 4)) if d.weekday() < 5
            )
        took = time.perf_counter() - started
        print(f"replayed {args.days} day(s) in {took:.0f} s (seed {args.seed})")
        report(records, estimate_seconds, connection.vendor)


if __name__ == "__main__":
    main()
