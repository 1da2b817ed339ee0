"""Staff on duty: one open session per counter and per person, closed when the counter is free."""

import datetime as dt

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import CounterSession
from cityhall.appointments.services_queue import (
    call_next,
    close_counter_session,
    open_counter_session,
    take_ticket,
)
from cityhall.appointments.services_queue.errors import CounterBusy, CounterTaken
from cityhall.appointments.tests.factories import bookable_place, local

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


def test_opening_twice_returns_the_open_session():
    place = bookable_place()
    staff = UserFactory(is_staff=True)

    first = open_counter_session(counter=place.counters[0], staff=staff, now=NOW)
    again = open_counter_session(counter=place.counters[0], staff=staff, now=NOW)

    assert first == again
    assert CounterSession.objects.count() == 1


def test_moving_to_another_counter_closes_the_first_session():
    place = bookable_place(counters=2)
    staff = UserFactory(is_staff=True)
    first = open_counter_session(counter=place.counters[0], staff=staff, now=NOW)

    open_counter_session(counter=place.counters[1], staff=staff, now=NOW + dt.timedelta(hours=1))

    first.refresh_from_db()
    assert first.closed_at == NOW + dt.timedelta(hours=1)
    assert CounterSession.objects.filter(closed_at__isnull=True).get().counter == place.counters[1]


def test_a_counter_has_one_staff_member_on_duty():
    place = bookable_place()
    open_counter_session(counter=place.counters[0], staff=UserFactory(is_staff=True), now=NOW)

    with pytest.raises(CounterTaken):
        open_counter_session(counter=place.counters[0], staff=UserFactory(is_staff=True), now=NOW)


def test_a_session_closes_only_when_nobody_is_called_at_the_counter():
    place = bookable_place()
    staff = UserFactory(is_staff=True)
    session = open_counter_session(counter=place.counters[0], staff=staff, now=NOW)
    take_ticket(
        facility=place.facility, service=place.service, channel="kiosk", actor=None, now=NOW
    )
    call_next(counter=place.counters[0], actor=staff, now=NOW)

    with pytest.raises(CounterBusy):
        close_counter_session(session=session, actor=staff, now=NOW)
