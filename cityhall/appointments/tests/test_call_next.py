"""Calling the next visit to a counter: on duty, one at a time, only the counter's services."""

import datetime as dt

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue import call_next, take_ticket
from cityhall.appointments.services_queue.errors import CounterBusy, NotOnDuty
from cityhall.appointments.tests.factories import (
    CounterFactory,
    CounterServiceFactory,
    bookable_place,
    local,
    staff_on_duty,
)

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


def ticket(place, service=None, *, minutes_ago=0, **extra):
    return take_ticket(
        facility=place.facility,
        service=service or place.service,
        channel="kiosk",
        actor=None,
        now=NOW - dt.timedelta(minutes=minutes_ago),
        **extra,
    )


def test_the_counter_calls_the_longest_waiting_walk_in():
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)
    ticket(place, minutes_ago=5)
    first = ticket(place, minutes_ago=10)

    called = call_next(counter=place.counters[0], actor=staff, now=NOW)

    assert called is not None
    assert called == first
    assert (called.status, called.counter, called.called_by) == (
        Visit.Status.CALLED,
        place.counters[0],
        staff,
    )
    assert called.called_at == NOW


def test_priority_walk_ins_are_called_first():
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)
    ticket(place, minutes_ago=10)
    priority = ticket(place, minutes_ago=1, needs_priority=True)

    assert call_next(counter=place.counters[0], actor=staff, now=NOW) == priority


def test_a_counter_calls_only_the_services_it_offers():
    place = bookable_place()
    other_service = CounterServiceFactory()
    CounterFactory(facility=place.facility).services.add(other_service)
    elsewhere = ticket(place, other_service, minutes_ago=20)
    mine = ticket(place, minutes_ago=1)
    staff = staff_on_duty(place.counters[0], at=NOW)

    assert call_next(counter=place.counters[0], actor=staff, now=NOW) == mine
    elsewhere.refresh_from_db()
    assert elsewhere.status == Visit.Status.WAITING


def test_nobody_waiting_calls_nobody():
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)

    assert call_next(counter=place.counters[0], actor=staff, now=NOW) is None


def test_only_the_staff_on_duty_at_the_counter_may_call():
    place = bookable_place()
    staff_on_duty(place.counters[0], at=NOW)
    ticket(place)

    with pytest.raises(NotOnDuty):
        call_next(counter=place.counters[0], actor=UserFactory(is_staff=True), now=NOW)


def test_a_counter_with_someone_called_calls_nobody_else():
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)
    ticket(place, minutes_ago=2)
    ticket(place, minutes_ago=1)
    call_next(counter=place.counters[0], actor=staff, now=NOW)

    with pytest.raises(CounterBusy):
        call_next(counter=place.counters[0], actor=staff, now=NOW)
