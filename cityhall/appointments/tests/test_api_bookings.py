import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.api_callers import session_client
from cityhall.appointments.models import Booking
from cityhall.appointments.slots import city_zone
from cityhall.appointments.tests.factories import bookable_place

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/appointments/bookings"


@pytest.fixture
def place():
    return bookable_place(code="passport-id", name_en="Passport", name_fr="Passeport")


def day_after_tomorrow():
    return timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=2)


def slots(client, place):
    day = day_after_tomorrow().isoformat()
    return client.get(
        f"/api/v1/appointments/services/{place.service.code}/slots",
        {"facility": str(place.facility.public_id), "first_day": day, "last_day": day},
    )


def test_the_services_list_names_each_in_both_languages_with_its_places(client, place):
    [service] = client.get("/api/v1/appointments/services").json()

    assert service["name"] == {"en": "Passport", "fr": "Passeport"}
    assert service["facilities"][0]["id"] == str(place.facility.public_id)


def test_slots_are_local_times_with_their_offset(client, place):
    found = slots(client, place).json()

    assert found[0]["starts_at"].startswith(f"{day_after_tomorrow().isoformat()}T09:00:00-0")
    assert len(found) == 12  # 9:00 to 12:00 in 15 minutes


def test_a_slot_search_over_more_than_a_month_is_refused(client, place):
    response = client.get(
        f"/api/v1/appointments/services/{place.service.code}/slots",
        {
            "facility": str(place.facility.public_id),
            "first_day": "2031-01-01",
            "last_day": "2031-03-01",
        },
    )

    assert response.status_code == 400
    assert "last_day" in response.json()["error"]["fields"]


def test_a_citizen_books_then_a_second_booking_of_the_time_answers_409_with_a_code(
    citizen, other_citizen, place
):
    first = slots(session_client(citizen), place).json()[0]["starts_at"]
    body = {
        "service": place.service.code,
        "facility": str(place.facility.public_id),
        "starts_at": first,
    }

    booked = session_client(citizen).post(BOOKINGS, body, format="json")
    taken = session_client(other_citizen).post(BOOKINGS, body, format="json")

    assert booked.status_code == 201
    assert booked.json()["status"] == "confirmed"
    assert taken.status_code == 409
    assert taken.json()["error"]["code"] == "slot_taken"


def test_a_citizen_cancels_their_booking_and_nobody_else_can(citizen, other_citizen, place):
    first = slots(session_client(citizen), place).json()[0]["starts_at"]
    body = {
        "service": place.service.code,
        "facility": str(place.facility.public_id),
        "starts_at": first,
    }
    booking_id = session_client(citizen).post(BOOKINGS, body, format="json").json()["id"]

    refused = session_client(other_citizen).delete(f"{BOOKINGS}/{booking_id}")
    cancelled = session_client(citizen).delete(f"{BOOKINGS}/{booking_id}")

    assert refused.status_code == 404
    assert cancelled.status_code == 204
    assert Booking.objects.get().status == Booking.Status.CANCELLED
