"""The ticket API: take a ticket, follow it by its token, cancel it; errors in the contract."""

import pytest

from cityhall.accounts.tests.api_callers import session_client
from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.tests.factories import bookable_place

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/appointments/tickets"


@pytest.fixture
def place():
    # Open all day: tickets are taken on the real clock.
    return bookable_place(code="walk-in", opens="00:00", closes="23:59:59.999999")


def take(client, place, **extra):
    body = {"facility": str(place.facility.public_id), "service": place.service.code, **extra}
    return client.post(TICKETS, body, content_type="application/json")


def test_anyone_takes_a_ticket_and_follows_it_by_its_token(client, place):
    first = take(client, place, contact_phone="514 555-0123")
    second = take(client, place, needs_priority=True)

    assert first.status_code == second.status_code == 201
    ticket = client.get(f"{TICKETS}/{first.json()['token']}").json()
    assert ticket["number"] == "A001"
    assert ticket["status"] == "waiting"
    # The priority ticket goes first among walk-ins.
    assert ticket["position"] == 2
    assert ticket["estimated_wait_minutes"] is None  # no counter is open
    assert "token" not in ticket
    assert Visit.objects.get(number="A001").contact_phone == "5145550123"


def test_a_signed_in_person_holds_the_ticket_on_their_account(citizen, place):
    response = take(session_client(citizen), place)

    assert response.status_code == 201
    assert Visit.objects.get().citizen == citizen


def test_a_ticket_is_cancelled_with_its_token(client, place):
    token = take(client, place).json()["token"]

    assert client.delete(f"{TICKETS}/{token}").status_code == 204
    assert client.get(f"{TICKETS}/{token}").json()["status"] == "cancelled"


def test_a_booking_only_service_answers_a_coded_error(client):
    place = bookable_place(
        opens="00:00", closes="23:59:59.999999", access=CounterService.Access.BOOKING
    )

    response = take(client, place)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "walk_in_not_offered"


def test_an_unknown_token_or_place_is_refused(client, place):
    assert client.get(f"{TICKETS}/no-such-token").status_code == 404
    response = take(client, place, facility="00000000-0000-0000-0000-000000000000")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"facility"}


def test_a_double_submit_answers_the_first_ticket(client, place):
    key = "5f0c6a53-2b59-4a3e-9d2e-4f7f6f3c1a10"

    first = take(client, place, submission_key=key).json()
    again = take(client, place, submission_key=key).json()

    assert again["token"] == first["token"]
    assert Visit.objects.count() == 1
