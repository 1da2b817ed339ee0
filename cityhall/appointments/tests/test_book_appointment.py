import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from cityhall.appointments.errors import (
    BeyondHorizon,
    BookingLimitReached,
    NotBookable,
    SlotNotOffered,
    SlotTaken,
    TooLittleNotice,
)
from cityhall.appointments.models import BookedCell, Booking, CounterService
from cityhall.appointments.services import book_appointment
from cityhall.appointments.tests.factories import bookable_place, local
from cityhall.core.models import AuditEvent

NOW = local("2031-03-03 08:00")


def book(place, when, **who):
    who.setdefault("contact_email", "" if "citizen" in who else "guest@example.org")
    return book_appointment(
        service=place.service, facility=place.facility, starts_at=local(when), now=NOW, **who
    )


def test_a_citizens_booking_is_confirmed_and_holds_its_counters_cells(db, citizen):
    place = bookable_place(duration_minutes=15)

    booking = book(place, "2031-03-04 09:00", citizen=citizen)

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.ends_at == local("2031-03-04 09:15")
    assert BookedCell.objects.filter(booking=booking, counter=place.counters[0]).count() == 3


def test_the_booking_is_audited_without_personal_data(db, citizen):
    place = bookable_place()

    booking = book(place, "2031-03-04 09:00", citizen=citizen)

    event = AuditEvent.objects.get(action="appointments.booked")
    assert event.target_id == str(booking.public_id)
    assert "camille" not in str(event.data).lower()
    assert set(event.data) == {"service", "facility", "starts_at"}


def test_a_booking_without_an_account_waits_for_its_email_to_be_confirmed(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    place = bookable_place()

    with django_capture_on_commit_callbacks(execute=True):
        booking = book(place, "2031-03-04 09:00", contact_email="ana@example.org")

    assert booking.status == Booking.Status.AWAITING_CONFIRMATION
    assert booking.hold_expires_at == NOW + dt.timedelta(minutes=30)
    assert mailoutbox[-1].to == ["ana@example.org"]
    assert "/appointments/confirm/" in mailoutbox[-1].body


def test_the_same_time_on_a_single_counter_is_refused_with_the_next_free_time(
    db, citizen, other_citizen
):
    place = bookable_place(duration_minutes=15)
    book(place, "2031-03-04 09:00", citizen=citizen)

    with pytest.raises(SlotTaken) as taken:
        book(place, "2031-03-04 09:00", citizen=other_citizen)

    assert taken.value.next_slot_at == local("2031-03-04 09:15")
    assert "just taken" in taken.value.message
    assert Booking.objects.count() == 1


def test_two_counters_take_two_bookings_at_the_same_time_and_no_third(db, citizen, other_citizen):
    place = bookable_place(counters=2)
    first = book(place, "2031-03-04 09:00", citizen=citizen)
    second = book(place, "2031-03-04 09:00", citizen=other_citizen)

    with pytest.raises(SlotTaken):
        book(place, "2031-03-04 09:00", contact_email="third@example.org")

    assert {first.counter_id, second.counter_id} == {counter.id for counter in place.counters}


def test_the_database_refuses_a_second_booking_of_a_counters_cell(db, citizen):
    place = bookable_place()
    booking = book(place, "2031-03-04 09:00", citizen=citizen)

    with pytest.raises(IntegrityError), transaction.atomic():
        BookedCell.objects.create(
            booking=booking, counter=place.counters[0], cell_start=local("2031-03-04 09:05")
        )


def test_a_person_cannot_hold_more_open_bookings_than_the_service_allows(db, citizen):
    place = bookable_place(max_open_bookings_per_person=1)
    book(place, "2031-03-04 09:00", citizen=citizen)

    with pytest.raises(BookingLimitReached):
        book(place, "2031-03-05 09:00", citizen=citizen)


def test_the_limit_counts_bookings_made_with_the_same_email_in_any_case(db):
    place = bookable_place(max_open_bookings_per_person=1)
    book(place, "2031-03-04 09:00", contact_email="ana@example.org")

    with pytest.raises(BookingLimitReached):
        book(place, "2031-03-05 09:00", contact_email=" ANA@example.org")


@pytest.mark.parametrize(
    ("when", "error"),
    [
        ("2031-03-02 09:00", SlotNotOffered),  # past
        ("2031-03-03 08:30", TooLittleNotice),  # within the hour's notice
        ("2031-05-04 09:00", BeyondHorizon),  # past the 30 days
        ("2031-03-04 13:00", SlotNotOffered),  # closed
        ("2031-03-04 09:07", SlotNotOffered),  # between two slots
    ],
)
def test_times_that_cannot_be_booked_are_refused_with_a_clear_error(db, citizen, when, error):
    place = bookable_place()

    with pytest.raises(error):
        book(place, when, citizen=citizen)

    assert not Booking.objects.exists()


def test_a_walk_in_only_service_cannot_be_booked(db, citizen):
    place = bookable_place(access=CounterService.Access.WALK_IN)

    with pytest.raises(NotBookable):
        book(place, "2031-03-04 09:00", citizen=citizen)


def test_submitting_the_same_form_twice_books_once(db, citizen):
    place = bookable_place(counters=2)
    key = uuid.uuid4()

    first = book(place, "2031-03-04 09:00", citizen=citizen, submission_key=key)
    second = book(place, "2031-03-04 09:00", citizen=citizen, submission_key=key)

    assert first == second
    assert Booking.objects.count() == 1


def test_a_citizens_confirmation_carries_the_calendar_file(
    db, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    place = bookable_place()

    with django_capture_on_commit_callbacks(execute=True):
        book(place, "2031-03-04 09:00", citizen=citizen)

    [sent] = [message for message in mailoutbox if message.to == [citizen.email]]
    assert sent.attachments[0][0] == "appointment.ics"
    assert "DTSTART;TZID=" in sent.attachments[0][1]


def test_a_hold_past_its_expiry_gives_way_to_a_new_booking_before_the_sweep(db, citizen):
    place = bookable_place()
    hold = book(place, "2031-03-04 09:00", contact_email="late@example.org")
    later = NOW + dt.timedelta(minutes=31)

    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=local("2031-03-04 09:00"),
        citizen=citizen,
        now=later,
    )

    hold.refresh_from_db()
    assert hold.status == Booking.Status.EXPIRED
    assert BookedCell.objects.filter(booking=booking).count() == 3
    assert not BookedCell.objects.filter(booking=hold).exists()
