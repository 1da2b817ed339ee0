"""Checking a booking in: once, on its day, from the opening of check-in, late ones too."""

import datetime as dt

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Visit
from cityhall.appointments.services import book_appointment, cancel_booking
from cityhall.appointments.services_queue import check_in_booking
from cityhall.appointments.services_queue.errors import (
    AlreadyCheckedIn,
    BookingNotCheckable,
    CheckInNotOpen,
)
from cityhall.appointments.tests.factories import bookable_place, local

pytestmark = pytest.mark.django_db

BOOKED_AT = local("2031-03-04 10:00")


@pytest.fixture
def booking():
    place = bookable_place()
    return book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=BOOKED_AT,
        citizen=UserFactory(),
        now=local("2031-03-01 09:00"),
    )


def test_a_checked_in_booking_joins_the_queue_as_an_appointment(booking):
    visit = check_in_booking(booking=booking, actor=None, now=BOOKED_AT - dt.timedelta(minutes=5))

    assert visit.kind == Visit.Kind.APPOINTMENT
    assert visit.channel == Visit.Channel.CHECK_IN
    assert visit.due_at == BOOKED_AT
    assert visit.citizen == booking.citizen
    assert visit.number == "R001"


def test_a_booking_is_checked_in_once(booking):
    check_in_booking(booking=booking, actor=None, now=BOOKED_AT)

    with pytest.raises(AlreadyCheckedIn):
        check_in_booking(booking=booking, actor=None, now=BOOKED_AT)
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("moment", ["2031-03-04 08:59", "2031-03-03 10:00", "2031-03-05 09:30"])
def test_check_in_opens_an_hour_before_on_the_bookings_day(booking, moment):
    with pytest.raises(CheckInNotOpen):
        check_in_booking(booking=booking, actor=None, now=local(moment))


def test_a_late_arrival_is_still_checked_in(booking):
    visit = check_in_booking(booking=booking, actor=None, now=BOOKED_AT + dt.timedelta(hours=1))

    assert visit.status == Visit.Status.WAITING


def test_a_cancelled_booking_cannot_be_checked_in(booking):
    cancel_booking(booking=booking, actor=None, now=local("2031-03-02 09:00"))

    with pytest.raises(BookingNotCheckable):
        check_in_booking(booking=booking, actor=None, now=BOOKED_AT)
