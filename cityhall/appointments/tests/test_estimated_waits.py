"""Estimated waits read from a facility's visits, counters on duty and bookings."""

import datetime as dt
from itertools import count

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Booking, CounterSession, Visit
from cityhall.appointments.tests.factories import CounterFactory, bookable_place, local
from cityhall.appointments.wait_estimates import (
    estimate_wait,
    estimated_waits,
    service_wait_summary,
)

NOW = local("2031-03-04 10:00")
NUMBERS = count(1)


def minutes(value):
    return dt.timedelta(minutes=value)


def open_session(counter):
    return CounterSession.objects.create(
        counter=counter, staff=UserFactory(), opened_at=NOW - dt.timedelta(hours=1)
    )


def visit(place, joined_at, **fields):
    return Visit.objects.create(
        facility=place.facility,
        service=place.service,
        day=joined_at.date(),
        number=f"A{next(NUMBERS):03d}",
        kind=Visit.Kind.APPOINTMENT if fields.get("due_at") else Visit.Kind.WALK_IN,
        channel=Visit.Channel.KIOSK,
        joined_at=joined_at,
        **fields,
    )


def served_visits(place, counter, *, each, how_many):
    """Visits finished yesterday, `each` minutes at the counter."""
    start = NOW - dt.timedelta(days=1)
    for n in range(how_many):
        called_at = start + n * minutes(each)
        visit(
            place, called_at, status=Visit.Status.SERVED, counter=counter, called_at=called_at,
            serving_started_at=called_at, finished_at=called_at + minutes(each),
        )  # fmt: skip


def test_each_waiting_visit_gets_its_turn_one_service_time_apart(db):
    place = bookable_place(duration_minutes=10)
    open_session(place.counters[0])
    waiting = [visit(place, NOW - minutes(3 - n)) for n in range(3)]

    waits = estimated_waits(place.facility, now=NOW)

    assert [waits[v.id] for v in waiting] == [minutes(0), minutes(10), minutes(20)]


def test_observed_service_times_replace_the_booked_duration(db):
    place = bookable_place(duration_minutes=10)
    open_session(place.counters[0])
    served_visits(place, place.counters[0], each=4, how_many=60)
    last = [visit(place, NOW - minutes(3 - n)) for n in range(3)][-1]

    wait = estimate_wait(last, now=NOW)

    assert wait is not None
    assert minutes(8) <= wait < minutes(10)


def test_a_second_counter_on_duty_halves_the_wait_ahead(db):
    place = bookable_place(counters=2, duration_minutes=10)
    open_session(place.counters[0])
    last = [visit(place, NOW - minutes(5 - n)) for n in range(5)][-1]
    one = estimate_wait(last, now=NOW)

    open_session(place.counters[1])

    assert one == minutes(40)
    assert estimate_wait(last, now=NOW) == minutes(20)


def test_a_counter_without_anyone_on_duty_is_not_counted(db):
    place = bookable_place(counters=2, duration_minutes=10)
    open_session(place.counters[0])
    CounterSession.objects.create(
        counter=place.counters[1], staff=UserFactory(),
        opened_at=NOW - dt.timedelta(hours=2), closed_at=NOW - dt.timedelta(hours=1),
    )  # fmt: skip
    last = [visit(place, NOW - minutes(3 - n)) for n in range(3)][-1]

    assert estimate_wait(last, now=NOW) == minutes(20)


def test_no_estimate_while_no_counter_is_open(db):
    place = bookable_place(duration_minutes=10)
    waiting = visit(place, NOW)

    assert estimate_wait(waiting, now=NOW) is None
    assert estimated_waits(place.facility, now=NOW) == {}


def test_a_booking_due_soon_and_not_yet_checked_in_counts_ahead_of_walk_ins(db, citizen):
    place = bookable_place(duration_minutes=10)
    open_session(place.counters[0])
    last = [visit(place, NOW - minutes(3 - n)) for n in range(3)][-1]
    before = estimate_wait(last, now=NOW)

    Booking.objects.create(
        service=place.service, facility=place.facility, counter=place.counters[0],
        starts_at=NOW + minutes(5), ends_at=NOW + minutes(15),
        status=Booking.Status.CONFIRMED, citizen=citizen,
    )  # fmt: skip

    after = estimate_wait(last, now=NOW)
    assert before is not None
    assert after is not None
    assert minutes(5) < after - before <= minutes(10)


def test_a_called_visit_has_no_wait_left_and_a_finished_one_none(db):
    place = bookable_place(duration_minutes=10)
    counter = place.counters[0]
    open_session(counter)
    called = visit(
        place, NOW - minutes(5), status=Visit.Status.CALLED, counter=counter, called_at=NOW
    )
    served_visits(place, counter, each=5, how_many=1)

    assert estimate_wait(called, now=NOW) == minutes(0)
    assert estimate_wait(Visit.objects.get(status=Visit.Status.SERVED), now=NOW) is None


def test_the_visit_at_the_counter_delays_the_next_by_its_remaining_time(db):
    place = bookable_place(duration_minutes=10)
    counter = place.counters[0]
    open_session(counter)
    visit(
        place, NOW - minutes(10), status=Visit.Status.SERVING, counter=counter,
        called_at=NOW - minutes(4), serving_started_at=NOW - minutes(4),
    )  # fmt: skip
    waiting = visit(place, NOW - minutes(1))

    wait = estimate_wait(waiting, now=NOW)

    assert wait is not None
    assert minutes(3) < wait < minutes(10)


def test_the_summary_gives_each_walk_in_service_its_queue_and_a_newcomers_wait(db):
    place = bookable_place(counters=2, duration_minutes=10)
    open_session(place.counters[0])
    for n in range(3):
        visit(place, NOW - minutes(3 - n))

    [summary] = service_wait_summary(place.facility, now=NOW)

    assert summary.service == place.service
    assert summary.waiting == 3
    assert summary.estimated_wait == minutes(30)


def test_the_whole_queue_is_estimated_in_a_handful_of_queries(db):
    place = bookable_place(counters=3, duration_minutes=10)
    for counter in place.counters:
        open_session(counter)
    other_counter = CounterFactory(facility=place.facility)
    other_counter.services.add(place.service)
    for n in range(40):
        visit(place, NOW - minutes(40 - n))

    with CaptureQueriesContext(connection) as first:
        waits = estimated_waits(place.facility, now=NOW)
    with CaptureQueriesContext(connection) as polled_again:
        estimated_waits(place.facility, now=NOW + dt.timedelta(seconds=5))

    assert len(waits) == 40
    assert len(first) <= 7
    # What history teaches is kept a few minutes: a page polling reads only the live state.
    assert len(polled_again) <= 4
