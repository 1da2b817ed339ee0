"""The holder cancels their ticket while waiting or called, never once served."""

import pytest

from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue import (
    call_next,
    cancel_ticket,
    start_serving,
    take_ticket,
)
from cityhall.appointments.services_queue.errors import VisitNotChangeable
from cityhall.appointments.tests.factories import bookable_place, local, staff_on_duty

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


@pytest.fixture
def place():
    return bookable_place()


def ticket(place):
    return take_ticket(
        facility=place.facility, service=place.service, channel="kiosk", actor=None, now=NOW
    )


def test_a_waiting_ticket_is_cancelled_once(place):
    visit = ticket(place)

    cancel_ticket(visit=visit, actor=None, now=NOW)
    again = cancel_ticket(visit=visit, actor=None, now=NOW)

    assert (again.status, again.finished_at) == (Visit.Status.CANCELLED, NOW)


def test_a_cancelled_ticket_is_not_called(place):
    staff = staff_on_duty(place.counters[0], at=NOW)
    cancel_ticket(visit=ticket(place), actor=None, now=NOW)

    assert call_next(counter=place.counters[0], actor=staff, now=NOW) is None


def test_a_visit_being_served_cannot_be_cancelled(place):
    staff = staff_on_duty(place.counters[0], at=NOW)
    ticket(place)
    visit = call_next(counter=place.counters[0], actor=staff, now=NOW)
    assert visit is not None
    start_serving(visit=visit, actor=staff, now=NOW)

    with pytest.raises(VisitNotChangeable):
        cancel_ticket(visit=visit, actor=None, now=NOW)
