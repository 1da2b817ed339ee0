"""Queue tickets in the personal-data register: erasure unties them, retention clears contacts."""

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Booking, CounterSession, Visit
from cityhall.appointments.retention import clear_past_visit_contacts
from cityhall.appointments.services import book_appointment
from cityhall.appointments.services_queue import check_in_booking, take_ticket
from cityhall.appointments.tests.factories import bookable_place, local, staff_on_duty
from cityhall.privacy.registry import all_sources

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


def erase(code, user):
    return next(source for source in all_sources() if source.code == code).erase(user)


def test_erasing_a_person_keeps_their_visits_without_them():
    place = bookable_place()
    citizen = UserFactory()
    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=NOW,
        citizen=citizen,
        now=local("2031-03-01 09:00"),
    )
    visit = check_in_booking(booking=booking, actor=None, now=NOW)

    erased = erase("appointments.visits", citizen)
    erase("appointments.bookings", citizen)

    visit.refresh_from_db()
    assert erased.anonymised == 1
    assert (visit.citizen, visit.booking) == (None, None)
    assert not Booking.objects.exists()


def test_erasing_a_staff_member_removes_their_sessions():
    place = bookable_place()
    staff = staff_on_duty(place.counters[0], at=NOW)

    assert erase("appointments.counter_sessions", staff).deleted == 1
    assert not CounterSession.objects.exists()


def test_contacts_left_with_a_ticket_are_cleared_once_the_day_is_past():
    place = bookable_place()
    old = take_ticket(
        facility=place.facility,
        service=place.service,
        channel="kiosk",
        actor=None,
        contact_phone="514 555-0123",
        now=NOW,
    )
    today = take_ticket(
        facility=place.facility,
        service=place.service,
        channel="kiosk",
        actor=None,
        contact_email="today@example.org",
        now=NOW + dt.timedelta(days=1),
    )
    cutoff = NOW + dt.timedelta(days=1)

    assert clear_past_visit_contacts(cutoff, dry_run=True) == 1
    assert clear_past_visit_contacts(cutoff, dry_run=False) == 1
    assert clear_past_visit_contacts(cutoff, dry_run=False) == 0
    old.refresh_from_db()
    today.refresh_from_db()
    assert (old.contact_phone, old.contact_phone_digest) == ("", "")
    assert today.contact_email == "today@example.org"
    assert Visit.objects.count() == 2
    assert timezone.is_aware(cutoff)
