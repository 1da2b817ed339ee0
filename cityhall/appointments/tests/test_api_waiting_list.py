import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.api_callers import session_client
from cityhall.appointments.models import Booking
from cityhall.appointments.services import book_appointment, cancel_booking
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.appointments.tests.factories import bookable_place

pytestmark = pytest.mark.django_db

WAITING_LIST = "/api/v1/appointments/waiting-list"


@pytest.fixture
def place():
    return bookable_place(opens="09:00", closes="09:15", minimum_notice_minutes=0)


def tomorrow():
    return timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)


def join(client, place, **changes):
    body = {
        "service": place.service.code,
        "facility": str(place.facility.public_id),
        "first_day": tomorrow().isoformat(),
        "last_day": tomorrow().isoformat(),
        **changes,
    }
    return client.post(WAITING_LIST, body, format="json")


def test_a_person_joins_is_offered_a_cancelled_time_and_accepts_it(
    place, citizen, other_citizen, django_capture_on_commit_callbacks
):
    day = tomorrow()
    (slot,) = slots_between(service=place.service, facility=place.facility, first=day, last=day)[
        day
    ]
    taken = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=slot.starts_at,
        citizen=other_citizen,
    )
    client = session_client(citizen)
    entry = join(client, place).json()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=taken, actor=other_citizen)
    [listed] = client.get(WAITING_LIST).json()
    accepted = client.post(f"{WAITING_LIST}/{entry['id']}/accept")

    assert listed["status"] == "offered"
    assert dt.datetime.fromisoformat(listed["offered_starts_at"]) == slot.starts_at
    assert accepted.status_code == 201
    assert Booking.objects.get(public_id=accepted.json()["id"]).status == Booking.Status.CONFIRMED
    assert client.get(WAITING_LIST).json() == []


def test_joining_twice_answers_409_already_waiting(place, citizen):
    client = session_client(citizen)
    join(client, place)

    again = join(client, place)

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_waiting"


def test_days_already_over_answer_400_waiting_range_not_valid(place, citizen):
    client = session_client(citizen)
    yesterday = (tomorrow() - dt.timedelta(days=2)).isoformat()

    refused = client.post(
        WAITING_LIST,
        {
            "service": place.service.code,
            "facility": str(place.facility.public_id),
            "first_day": yesterday,
            "last_day": yesterday,
        },
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "waiting_range_not_valid"
