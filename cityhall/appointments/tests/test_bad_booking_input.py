"""Bad input on every booking path: each gets a clear, translated error and changes nothing."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone, translation

from cityhall.accounts.tests.api_callers import session_client
from cityhall.appointments.errors import BeyondHorizon, SlotNotOffered, TooLittleNotice
from cityhall.appointments.models import BookedCell, Booking, Closure, PublicHoliday
from cityhall.appointments.services import book_appointment, reschedule_booking
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.appointments.tests.factories import bookable_place, local

NOW = local("2031-03-03 08:00")
BOOKINGS = "/api/v1/appointments/bookings"


def book(place, when, **who):
    return book_appointment(
        service=place.service, facility=place.facility, starts_at=local(when), now=NOW, **who
    )


def test_a_public_holiday_or_a_closure_of_the_place_cannot_be_booked(db, citizen):
    place = bookable_place()
    PublicHoliday.objects.create(day=dt.date(2031, 3, 4), name_en="Holiday", name_fr="Congé")
    Closure.objects.create(
        facility=place.facility,
        starts_on=dt.date(2031, 3, 6),
        ends_on=dt.date(2031, 3, 7),
        reason_en="Works",
        reason_fr="Travaux",
    )

    for when in ("2031-03-04 09:00", "2031-03-06 09:00", "2031-03-07 11:00"):
        with pytest.raises(SlotNotOffered):
            book(place, when, citizen=citizen)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("when", "error"),
    [
        ("2031-03-02 09:00", SlotNotOffered),  # past
        ("2031-03-03 08:30", TooLittleNotice),
        ("2031-05-04 09:00", BeyondHorizon),
        ("2031-03-04 13:00", SlotNotOffered),  # closed then
    ],
)
def test_a_reschedule_to_a_time_that_cannot_be_booked_keeps_the_old_time(db, citizen, when, error):
    place = bookable_place()
    booking = book(place, "2031-03-05 09:00", citizen=citizen)

    with pytest.raises(error):
        reschedule_booking(booking=booking, starts_at=local(when), actor=citizen, now=NOW)

    booking.refresh_from_db()
    assert booking.starts_at == local("2031-03-05 09:00")
    assert BookedCell.objects.filter(booking=booking).count() == 3


def test_the_errors_read_in_french_for_a_french_speaker(db, citizen):
    place = bookable_place(booking_horizon_days=30)

    with translation.override("fr"), pytest.raises(BeyondHorizon) as refused:
        book(place, "2031-05-04 09:00", citizen=citizen)

    assert "30" in refused.value.message
    assert "jours" in refused.value.message


@pytest.fixture
def api_place(db):
    return bookable_place(max_open_bookings_per_person=1, minimum_notice_minutes=0)


def _body(place, starts_at, **more):
    return {
        "service": place.service.code,
        "facility": str(place.facility.public_id),
        "starts_at": starts_at.isoformat(),
        **more,
    }


def _free_times(place, count):
    day = timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=2)
    found = slots_between(service=place.service, facility=place.facility, first=day, last=day)
    return [slot.starts_at for slot in found[day][:count]]


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (lambda: timezone.now() - dt.timedelta(days=1), "slot_not_offered"),
        (lambda: timezone.now() + dt.timedelta(days=400), "beyond_horizon"),
    ],
)
def test_the_api_answers_400_with_a_code_for_a_past_or_too_far_time(
    api_place, citizen, moment, code
):
    starts_at = moment().astimezone(city_zone()).replace(hour=9, minute=0, second=0, microsecond=0)

    refused = session_client(citizen).post(BOOKINGS, _body(api_place, starts_at), format="json")

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == code
    assert not Booking.objects.exists()


def test_the_api_answers_409_over_the_per_person_limit(api_place, citizen):
    first, second = _free_times(api_place, 2)
    client = session_client(citizen)
    client.post(BOOKINGS, _body(api_place, first), format="json")

    refused = client.post(BOOKINGS, _body(api_place, second), format="json")

    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "booking_limit_reached"


def test_the_api_books_once_when_the_same_submission_is_sent_twice(api_place, citizen):
    (starts_at,) = _free_times(api_place, 1)
    body = _body(api_place, starts_at, submission_key=str(uuid.uuid4()))
    client = session_client(citizen)

    first = client.post(BOOKINGS, body, format="json")
    again = client.post(BOOKINGS, body, format="json")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Booking.objects.count() == 1


def test_a_failed_confirmation_message_never_undoes_the_booking(
    db, citizen, monkeypatch, django_capture_on_commit_callbacks
):
    place = bookable_place()

    def broken(*args, **kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("cityhall.appointments.tasks.send_notice", broken)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(place, "2031-03-04 09:00", citizen=citizen)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert BookedCell.objects.filter(booking=booking).count() == 3
