import datetime as dt

import pytest
from django.core import signing

from cityhall.appointments.errors import (
    BookingNotChangeable,
    HoldExpired,
    InvalidBookingLink,
    SlotTaken,
)
from cityhall.appointments.links import (
    booking_to_confirm,
    booking_to_manage,
    confirmation_token,
    management_token,
)
from cityhall.appointments.models import BookedCell, Booking
from cityhall.appointments.services import (
    book_appointment,
    cancel_booking,
    confirm_booking,
    expire_lapsed_holds,
    reschedule_booking,
)
from cityhall.appointments.tests.factories import bookable_place, local

NOW = local("2031-03-03 08:00")


def book(place, when, **who):
    return book_appointment(
        service=place.service, facility=place.facility, starts_at=local(when), now=NOW, **who
    )


def test_following_the_confirmation_link_confirms_and_sends_the_calendar_file(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    place = bookable_place()
    held = book(place, "2031-03-04 09:00", contact_email="ana@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        booking = confirm_booking(
            booking=booking_to_confirm(confirmation_token(held), now=NOW), now=NOW
        )

    assert booking.status == Booking.Status.CONFIRMED
    attachment = mailoutbox[-1].attachments[0]
    assert attachment[0] == "appointment.ics"
    assert "BEGIN:VEVENT" in attachment[1]
    assert "/appointments/manage/" in mailoutbox[-1].body


def test_a_confirmation_after_the_hold_lapsed_is_refused_and_frees_the_time(db):
    place = bookable_place()
    held = book(place, "2031-03-04 09:00", contact_email="ana@example.org")

    with pytest.raises(HoldExpired):
        confirm_booking(booking=held, now=NOW + dt.timedelta(minutes=31))

    held.refresh_from_db()
    assert held.status == Booking.Status.EXPIRED
    assert not BookedCell.objects.filter(booking=held).exists()


def test_the_sweep_expires_lapsed_holds_only(db, citizen):
    place = bookable_place(counters=2)
    held = book(place, "2031-03-04 09:00", contact_email="ana@example.org")
    kept = book(place, "2031-03-04 09:00", citizen=citizen)

    assert expire_lapsed_holds(now=NOW + dt.timedelta(minutes=31)) == 1

    held.refresh_from_db()
    kept.refresh_from_db()
    assert (held.status, kept.status) == (Booking.Status.EXPIRED, Booking.Status.CONFIRMED)


def test_an_altered_or_expired_or_misused_link_is_refused(db, citizen):
    place = bookable_place()
    booking = book(place, "2031-03-04 09:00", citizen=citizen)
    token = management_token(booking)

    with pytest.raises(InvalidBookingLink):
        booking_to_manage(token[:-2] + "xx")
    with pytest.raises(InvalidBookingLink):
        booking_to_manage(token, now=local("2031-03-04 10:00"))
    with pytest.raises(InvalidBookingLink):
        booking_to_confirm(token)  # a management link confirms nothing
    with pytest.raises(InvalidBookingLink):
        booking_to_manage(signing.dumps({"b": "nobody", "u": 2**40}, salt="appointments.manage"))
    assert booking_to_manage(token, now=NOW) == booking


def test_rescheduling_moves_the_booking_and_frees_the_old_time(db, citizen, other_citizen):
    place = bookable_place()
    booking = book(place, "2031-03-04 09:00", citizen=citizen)

    reschedule_booking(booking=booking, starts_at=local("2031-03-05 10:00"), actor=citizen, now=NOW)

    booking.refresh_from_db()
    assert booking.starts_at == local("2031-03-05 10:00")
    assert book(place, "2031-03-04 09:00", citizen=other_citizen)


def test_a_failed_reschedule_keeps_the_old_time(db, citizen, other_citizen):
    place = bookable_place()
    booking = book(place, "2031-03-04 09:00", citizen=citizen)
    book(place, "2031-03-05 10:00", citizen=other_citizen)

    with pytest.raises(SlotTaken):
        reschedule_booking(
            booking=booking, starts_at=local("2031-03-05 10:00"), actor=citizen, now=NOW
        )

    booking.refresh_from_db()
    assert booking.starts_at == local("2031-03-04 09:00")
    assert BookedCell.objects.filter(booking=booking).count() == 3


def test_cancelling_frees_the_time_and_a_second_cancel_changes_nothing(db, citizen, other_citizen):
    place = bookable_place()
    booking = book(place, "2031-03-04 09:00", citizen=citizen)

    cancel_booking(booking=booking, actor=citizen, now=NOW)
    again = cancel_booking(booking=booking, actor=citizen, now=NOW)

    assert again.status == Booking.Status.CANCELLED
    assert book(place, "2031-03-04 09:00", citizen=other_citizen)


def test_a_past_or_cancelled_booking_cannot_be_changed(db, citizen):
    place = bookable_place()
    booking = book(place, "2031-03-04 09:00", citizen=citizen)

    with pytest.raises(BookingNotChangeable):
        cancel_booking(booking=booking, actor=citizen, now=local("2031-03-04 09:30"))
    cancel_booking(booking=booking, actor=citizen, now=NOW)
    with pytest.raises(BookingNotChangeable):
        reschedule_booking(
            booking=booking, starts_at=local("2031-03-05 09:00"), actor=citizen, now=NOW
        )
