"""Transfers: a new visit for another service or counter that keeps the person's place."""

import datetime as dt

import pytest

from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue import call_next, take_ticket, transfer_visit
from cityhall.appointments.tests.factories import (
    CounterFactory,
    CounterServiceFactory,
    bookable_place,
    local,
    staff_on_duty,
)
from cityhall.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


@pytest.fixture
def setting():
    place = bookable_place()
    other_service = CounterServiceFactory()
    other_counter = CounterFactory(facility=place.facility)
    other_counter.services.add(other_service)
    staff = staff_on_duty(place.counters[0], at=NOW)
    take_ticket(
        facility=place.facility,
        service=place.service,
        channel="kiosk",
        actor=None,
        now=NOW - dt.timedelta(minutes=30),
    )
    visit = call_next(counter=place.counters[0], actor=staff, now=NOW)
    return place, visit, staff, other_service, other_counter


def test_a_transferred_visit_keeps_its_number_arrival_and_live_page(setting):
    _place, visit, staff, other_service, _other_counter = setting
    token = visit.token

    moved = transfer_visit(visit=visit, actor=staff, service=other_service, now=NOW)

    visit.refresh_from_db()
    assert visit.status == Visit.Status.TRANSFERRED
    assert (moved.status, moved.service, moved.number) == (
        Visit.Status.WAITING,
        other_service,
        visit.number,
    )
    assert moved.joined_at == NOW - dt.timedelta(minutes=30)
    assert moved.transferred_from == visit
    assert moved.token == token
    assert visit.token != token


def test_a_transfer_to_a_counter_waits_for_that_counter_only(setting):
    place, visit, staff, other_service, other_counter = setting
    moved = transfer_visit(
        visit=visit, actor=staff, service=other_service, counter=other_counter, now=NOW
    )
    take_ticket(
        facility=place.facility, service=other_service, channel="kiosk", actor=None, now=NOW
    )
    other_staff = staff_on_duty(other_counter, at=NOW)

    # The transferred visit goes first: it keeps its arrival of 30 minutes ago.
    assert call_next(counter=other_counter, actor=other_staff, now=NOW) == moved


def test_a_transfer_must_change_the_service_or_counter(setting):
    _place, visit, staff, _other_service, _other_counter = setting

    with pytest.raises(InvalidInput):
        transfer_visit(visit=visit, actor=staff, now=NOW)


def test_a_counter_that_does_not_offer_the_service_is_refused(setting):
    place, visit, staff, _other_service, other_counter = setting

    with pytest.raises(InvalidInput):
        transfer_visit(
            visit=visit, actor=staff, service=place.service, counter=other_counter, now=NOW
        )
