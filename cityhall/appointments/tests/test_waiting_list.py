import datetime as dt
import re
from dataclasses import dataclass

import pytest

from cityhall.appointments.errors import (
    AlreadyWaiting,
    BeyondHorizon,
    InvalidBookingLink,
    OfferNotOpen,
    WaitingLimitReached,
    WaitingRangeNotValid,
)
from cityhall.appointments.models import BookedCell, Booking, CounterService, WaitingListEntry
from cityhall.appointments.retention import delete_past_guest_waiting_entries
from cityhall.appointments.services import book_appointment, cancel_booking, expire_lapsed_holds
from cityhall.appointments.tests.factories import bookable_place, local
from cityhall.appointments.waiting_links import (
    confirmation_token,
    entry_of_offer,
    entry_to_confirm,
    offer_token,
)
from cityhall.appointments.waiting_list import (
    accept_offer,
    confirm_waiting_entry,
    decline_offer,
    join_waiting_list,
    leave_waiting_list,
    offer_freed_times,
)
from cityhall.notifications.models import Notification
from cityhall.places.models import Facility

NOW = local("2031-03-03 08:00")
DAY = dt.date(2031, 3, 4)
Status = WaitingListEntry.Status


@dataclass
class FullPlace:
    facility: Facility
    service: CounterService
    bookings: list[Booking]


@pytest.fixture
def full_place(db, other_citizen):
    """One counter, 09:00-09:30, two 15-minute slots on DAY, both booked by someone else."""
    place = bookable_place(opens="09:00", closes="09:30", max_open_bookings_per_person=5)
    bookings = [
        book_appointment(
            service=place.service,
            facility=place.facility,
            starts_at=local(f"2031-03-04 {time}"),
            citizen=other_citizen,
            now=NOW,
        )
        for time in ("09:00", "09:15")
    ]
    return FullPlace(place.facility, place.service, bookings)


def join(place, **who_and_when):
    who_and_when.setdefault("first_day", DAY)
    who_and_when.setdefault("last_day", DAY)
    return join_waiting_list(
        service=place.service, facility=place.facility, now=NOW, **who_and_when
    )


def test_a_cancelled_time_is_held_for_the_first_person_waiting_and_they_are_told(
    full_place, citizen, django_capture_on_commit_callbacks
):
    first = join(full_place, citizen=citizen)
    second = join(full_place, contact_email="late@example.org")
    confirm_waiting_entry(entry=second)

    with django_capture_on_commit_callbacks() as queued:
        cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)
    # The offer is searched after commit, for the facility and the local day freed.
    (search,) = [call for call in queued if call.func.__self__.name == "offer_freed_times"]
    assert search.args == (full_place.facility.id, "2031-03-04")
    with django_capture_on_commit_callbacks(execute=True):
        offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.OFFERED
    assert second.status == Status.WAITING
    held = first.offered_booking
    assert held.citizen == citizen
    assert held.starts_at == local("2031-03-04 09:00")
    assert held.status == Booking.Status.AWAITING_CONFIRMATION
    assert held.hold_expires_at == NOW + dt.timedelta(minutes=30)
    assert BookedCell.objects.filter(booking=held).count() == 3
    notification = Notification.objects.get(recipient=citizen)
    (token,) = re.findall(r"/waiting-list/offer/([^/\s]+)/", notification.body)
    assert entry_of_offer(token, now=NOW) == first


def test_accepting_the_offer_confirms_the_held_booking(full_place, citizen):
    entry = join(full_place, citizen=citizen)
    cancel_booking(booking=full_place.bookings[1], actor=None, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)
    entry.refresh_from_db()

    booking = accept_offer(entry=entry, actor=citizen, now=NOW + dt.timedelta(minutes=5))

    entry.refresh_from_db()
    assert entry.status == Status.BOOKED
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.starts_at == local("2031-03-04 09:15")
    assert accept_offer(entry=entry, actor=citizen, now=NOW) == booking  # a second click


def test_declining_offers_the_time_to_the_next_person_and_keeps_the_decliner_waiting(
    full_place, citizen, other_citizen
):
    first = join(full_place, citizen=citizen)
    second = join(full_place, contact_email="next@example.org")
    confirm_waiting_entry(entry=second)
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)
    first.refresh_from_db()

    decline_offer(entry=first, actor=citizen, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.WAITING
    assert second.status == Status.OFFERED
    assert second.offered_booking.starts_at == local("2031-03-04 09:00")
    assert second.offered_booking.contact_email == "next@example.org"


def test_an_unanswered_offer_lapses_and_goes_to_the_next_person(full_place, citizen):
    first = join(full_place, citizen=citizen)
    second = join(full_place, contact_email="next@example.org")
    confirm_waiting_entry(entry=second)
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)
    later = NOW + dt.timedelta(minutes=31)

    expire_lapsed_holds(now=later)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=later)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.LAPSED
    assert second.status == Status.OFFERED
    with pytest.raises(OfferNotOpen):
        accept_offer(entry=first, actor=citizen, now=later)


def test_an_offer_past_its_hold_cannot_be_accepted(full_place, citizen):
    entry = join(full_place, citizen=citizen)
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)
    entry.refresh_from_db()

    with pytest.raises(OfferNotOpen):
        accept_offer(entry=entry, actor=citizen, now=NOW + dt.timedelta(minutes=31))


def test_a_time_outside_the_persons_times_is_not_offered_to_them(full_place, citizen):
    entry = join(full_place, citizen=citizen, earliest_time=dt.time(9, 15))
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)

    assert offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW) == 0
    entry.refresh_from_db()
    assert entry.status == Status.WAITING


def test_a_guest_is_offered_nothing_until_their_email_is_confirmed(full_place):
    entry = join(full_place, contact_email="guest@example.org")
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)

    assert offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW) == 0
    assert entry_to_confirm(confirmation_token(entry), now=NOW) == entry


def test_a_person_at_the_booking_limit_is_skipped(full_place, citizen):
    full_place.service.max_open_bookings_per_person = 1
    full_place.service.save()
    book_appointment(
        service=full_place.service,
        facility=full_place.facility,
        starts_at=local("2031-03-05 09:00"),
        citizen=citizen,
        now=NOW,
    )
    entry = join(full_place, citizen=citizen)
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)

    assert offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW) == 0
    entry.refresh_from_db()
    assert entry.status == Status.WAITING


def test_leaving_with_an_open_offer_frees_the_held_time(full_place, citizen):
    entry = join(full_place, citizen=citizen)
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)
    entry.refresh_from_db()
    held = entry.offered_booking

    leave_waiting_list(entry=entry, actor=citizen, now=NOW)

    entry.refresh_from_db()
    held.refresh_from_db()
    assert entry.status == Status.LEFT
    assert held.status == Booking.Status.CANCELLED
    assert not BookedCell.objects.filter(booking=held).exists()


def test_an_offer_link_is_refused_once_altered_or_past_its_hold(full_place, citizen):
    entry = join(full_place, citizen=citizen)
    cancel_booking(booking=full_place.bookings[0], actor=None, now=NOW)
    offer_freed_times(facility_id=full_place.facility.id, day=DAY, now=NOW)
    entry.refresh_from_db()
    token = offer_token(entry)

    assert entry_of_offer(token, now=NOW) == entry
    with pytest.raises(InvalidBookingLink):
        entry_of_offer(token[:-2] + "xx", now=NOW)
    with pytest.raises(InvalidBookingLink):
        entry_of_offer(token, now=NOW + dt.timedelta(minutes=31))


@pytest.mark.parametrize(
    ("first_day", "last_day", "times"),
    [
        (dt.date(2031, 3, 1), dt.date(2031, 3, 2), (None, None)),  # over already
        (dt.date(2031, 3, 6), dt.date(2031, 3, 5), (None, None)),  # out of order
        (DAY, DAY, (dt.time(11, 0), dt.time(10, 0))),  # ends before it starts
    ],
)
def test_a_range_that_cannot_be_waited_for_is_refused(db, citizen, first_day, last_day, times):
    place = bookable_place()

    with pytest.raises(WaitingRangeNotValid):
        join(
            place,
            citizen=citizen,
            first_day=first_day,
            last_day=last_day,
            earliest_time=times[0],
            latest_time=times[1],
        )


def test_a_range_beyond_the_horizon_is_refused(db, citizen):
    place = bookable_place(booking_horizon_days=30)

    with pytest.raises(BeyondHorizon):
        join(place, citizen=citizen, last_day=DAY + dt.timedelta(days=40))


def test_joining_twice_for_the_same_service_and_place_is_refused(db, citizen):
    place = bookable_place()
    join(place, citizen=citizen)

    with pytest.raises(AlreadyWaiting):
        join(place, citizen=citizen, last_day=DAY + dt.timedelta(days=3))


def test_joining_more_waiting_lists_than_allowed_is_refused(db, citizen, settings):
    settings.APPOINTMENTS_WAITING_ENTRIES_PER_PERSON = 2
    join(bookable_place(), contact_email="same@example.org")
    join(bookable_place(), contact_email="same@example.org")

    with pytest.raises(WaitingLimitReached) as refused:
        join(bookable_place(), contact_email="same@example.org")
    assert "2 waiting lists" in refused.value.message


def test_a_guests_past_entry_goes_with_its_email_and_an_account_holders_stays(db, citizen):
    place = bookable_place()
    guest = join(place, contact_email="gone@example.org")
    kept = join(place, citizen=citizen)

    deleted = delete_past_guest_waiting_entries(local("2031-03-05 00:00"), dry_run=False)

    assert deleted == 1
    assert not WaitingListEntry.objects.filter(id=guest.id).exists()
    assert WaitingListEntry.objects.filter(id=kept.id).exists()
