"""Managers' figures of the queue: waits, no-shows and counter utilisation over a period."""

import datetime as dt
from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.figures import queue_figures
from cityhall.appointments.models import Booking, CounterSession, Visit
from cityhall.appointments.tests.factories import bookable_place, local

DAY = dt.date(2031, 3, 4)
NUMBERS = count(1)
EVENING = local("2031-03-04 20:00")


def minutes(value):
    return dt.timedelta(minutes=value)


def ended_visit(place, joined, waited, held, *, status=Visit.Status.SERVED, counter=None):
    joined_at = local(f"2031-03-04 {joined}")
    called_at = joined_at + minutes(waited)
    return Visit.objects.create(
        facility=place.facility, service=place.service, day=DAY,
        number=f"A{next(NUMBERS):03d}", kind=Visit.Kind.WALK_IN, channel=Visit.Channel.KIOSK,
        status=status, joined_at=joined_at, called_at=called_at,
        serving_started_at=called_at if status == Visit.Status.SERVED else None,
        finished_at=called_at + minutes(held), counter=counter or place.counters[0],
    )  # fmt: skip


@pytest.fixture
def busy_morning(db):
    """One counter on duty 9:00-11:00; four visits, one of them a no-show."""
    place = bookable_place(duration_minutes=10)
    CounterSession.objects.create(
        counter=place.counters[0], staff=UserFactory(),
        opened_at=local("2031-03-04 09:00"), closed_at=local("2031-03-04 11:00"),
    )  # fmt: skip
    ended_visit(place, "09:00", waited=0, held=20)
    ended_visit(place, "09:10", waited=10, held=20)
    ended_visit(place, "09:15", waited=45, held=20)
    ended_visit(place, "10:05", waited=15, held=0, status=Visit.Status.NO_SHOW)
    return place


def test_waits_are_counted_per_person_from_joining_to_the_first_call(busy_morning):
    figures = queue_figures(first=DAY, last=DAY, now=EVENING, facility=busy_morning.facility)

    [row] = figures.services
    assert row.figures.visits == 4
    assert row.figures.served == 3
    assert row.figures.mean_wait == minutes((0 + 10 + 45 + 15) / 4)
    assert row.figures.long_waits == 1
    assert row.figures.no_show_share == 0.25


def test_a_counter_busy_one_hour_of_two_on_duty_is_half_used(busy_morning):
    figures = queue_figures(first=DAY, last=DAY, now=EVENING)

    [counter] = figures.counters
    assert counter.utilisation.on_duty == minutes(120)
    assert counter.utilisation.busy == minutes(60)
    assert counter.utilisation.share == 0.5
    [facility] = figures.facilities
    assert facility.utilisation.share == 0.5


def test_each_hour_has_its_arrivals_waits_and_utilisation(busy_morning):
    figures = queue_figures(first=DAY, last=DAY, now=EVENING)

    by_hour = {row.hour: row for row in figures.hours}
    assert set(by_hour) == {9, 10}
    assert by_hour[9].figures.visits == 3
    assert by_hour[10].figures.mean_wait == minutes(15)
    assert by_hour[9].utilisation.on_duty == minutes(60)
    # Visits called at 9:00 and 9:20 held the counter 40 minutes; the one called at 10:00, 20.
    assert by_hour[9].utilisation.busy == minutes(40)


def test_a_confirmed_booking_never_checked_in_is_a_missed_booking(busy_morning, citizen):
    place = busy_morning
    for hour in ("10:00", "10:30"):
        starts_at = local(f"2031-03-04 {hour}")
        Booking.objects.create(
            service=place.service, facility=place.facility, counter=place.counters[0],
            starts_at=starts_at, ends_at=starts_at + minutes(10),
            status=Booking.Status.CONFIRMED, citizen=citizen,
        )  # fmt: skip

    [row] = queue_figures(first=DAY, last=DAY, now=EVENING).services

    assert row.figures.booked == 2
    assert row.figures.missed_bookings == 2


def test_another_facility_and_days_outside_the_period_are_left_out(busy_morning):
    other = bookable_place()
    ended_visit(other, "09:00", waited=5, held=5)

    only_one = queue_figures(first=DAY, last=DAY, now=EVENING, facility=busy_morning.facility)
    day_after = queue_figures(
        first=DAY + dt.timedelta(days=1), last=DAY + dt.timedelta(days=2), now=EVENING
    )

    assert only_one.total.visits == 4
    assert day_after.total.visits == 0
    assert day_after.services == []


def test_the_figures_take_a_fixed_number_of_queries_whatever_the_data(busy_morning):
    other = bookable_place()
    for hour in ("09:00", "10:00", "11:00", "12:00"):
        ended_visit(other, hour, waited=5, held=5)

    with CaptureQueriesContext(connection) as queries:
        figures = queue_figures(first=DAY, last=DAY, now=EVENING)

    assert figures.total.visits == 8
    assert len(queries) <= 10
