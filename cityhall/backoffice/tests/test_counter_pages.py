"""The counter view: staff open a session, call, serve, transfer and check bookings in."""

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.appointments.models import Booking, CounterSession, Visit
from cityhall.appointments.services_queue import open_counter_session, take_ticket
from cityhall.appointments.tests.factories import CounterServiceFactory, bookable_place
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def place():
    # Open all day, every day: the page works on the real clock.
    return bookable_place(counters=2, opens="00:00", closes="23:59:59.999999")


def page_of(place) -> str:
    return f"/en/staff/counter/{place.facility.public_id}/"


def kiosk_ticket(place, **extra):
    values = {"facility": place.facility, "service": place.service, "channel": "kiosk"}
    return take_ticket(**values, actor=None, **extra)


def test_an_agent_opens_a_session_and_calls_the_next_ticket(client, agent, place):
    sign_in_with_two_factor(client, agent)
    ticket = kiosk_ticket(place)

    opened = client.post(
        f"{page_of(place)}session/open/", {"counter": str(place.counters[0].public_id)}
    )
    called = client.post(f"{page_of(place)}call-next/", follow=True)

    assert opened.status_code == 302
    assert opened["Location"] == page_of(place)
    assert CounterSession.objects.get(closed_at__isnull=True).staff == agent
    page = called.content.decode()
    assert f"Ticket {ticket.number} is called." in page
    assert "Start serving" in page
    ticket.refresh_from_db()
    assert (ticket.status, ticket.counter) == (Visit.Status.CALLED, place.counters[0])


def test_a_called_ticket_is_served_and_finished_from_the_page(client, agent, place):
    sign_in_with_two_factor(client, agent)
    open_counter_session(counter=place.counters[0], staff=agent)
    ticket = kiosk_ticket(place)
    client.post(f"{page_of(place)}call-next/")

    for step in ("serve", "finish"):
        response = client.post(f"{page_of(place)}visits/{ticket.public_id}/{step}/")
        assert response.status_code == 302

    ticket.refresh_from_db()
    assert ticket.status == Visit.Status.SERVED
    assert "Call next" in client.get(page_of(place)).content.decode()


def test_a_step_out_of_turn_is_refused_with_a_message(client, agent, place):
    sign_in_with_two_factor(client, agent)
    open_counter_session(counter=place.counters[0], staff=agent)
    ticket = kiosk_ticket(place)
    client.post(f"{page_of(place)}call-next/")

    page = client.post(f"{page_of(place)}visits/{ticket.public_id}/finish/", follow=True)

    assert "no longer in a state that allows this step" in page.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Visit.Status.CALLED


def test_the_transfer_form_sends_the_visit_to_another_service(client, agent, place):
    other = CounterServiceFactory(name_en="Parking permits")
    place.counters[1].services.add(other)
    sign_in_with_two_factor(client, agent)
    open_counter_session(counter=place.counters[0], staff=agent)
    ticket = kiosk_ticket(place)
    client.post(f"{page_of(place)}call-next/")

    client.post(
        f"{page_of(place)}visits/{ticket.public_id}/transfer/",
        {"service": str(other.public_id), "counter": ""},
    )

    moved = Visit.objects.get(transferred_from=ticket)
    assert (moved.service, moved.status, moved.number) == (other, "waiting", ticket.number)
    assert "Parking permits" in client.get(page_of(place)).content.decode()


def test_a_booking_of_today_is_checked_in_from_the_page(client, agent, place):
    now = timezone.now()
    booking = Booking.objects.create(
        service=place.service,
        facility=place.facility,
        counter=place.counters[0],
        starts_at=now,
        ends_at=now + dt.timedelta(minutes=15),
        status=Booking.Status.CONFIRMED,
        citizen=UserFactory(),
    )
    sign_in_with_two_factor(client, agent)

    page = client.get(page_of(place)).content.decode()
    client.post(f"{page_of(place)}bookings/{booking.public_id}/check-in/", {"needs_priority": "on"})

    assert "Check in" in page
    visit = Visit.objects.get(booking=booking)
    assert visit.needs_priority
    assert f"ticket {visit.number}" in client.get(page_of(place)).content.decode()


def test_staff_give_a_walk_in_ticket_at_the_counter(client, agent, place):
    sign_in_with_two_factor(client, agent)

    page = client.post(
        f"{page_of(place)}tickets/", {"service": str(place.service.public_id)}, follow=True
    ).content.decode()

    visit = Visit.objects.get()
    assert visit.channel == Visit.Channel.COUNTER
    assert f"Ticket {visit.number} is given." in page


def test_the_counter_is_in_the_navigation_and_closed_to_citizens(client, agent, citizen, place):
    sign_in_with_two_factor(client, agent)
    assert 'href="/en/staff/counter/"' in client.get("/en/staff/appointments/").content.decode()

    client.force_login(citizen)
    assert client.get(page_of(place)).status_code in (302, 403)
    assert not CounterSession.objects.exists()


def test_the_counter_home_leads_a_staff_member_on_duty_to_their_place(client, agent, place):
    sign_in_with_two_factor(client, agent)
    listing = client.get("/en/staff/counter/").content.decode()
    open_counter_session(counter=place.counters[0], staff=agent)

    assert place.facility.name_en in listing
    assert client.get("/en/staff/counter/")["Location"] == page_of(place)


def test_the_page_leads_to_the_places_kiosk_and_waiting_room_display(client, agent, place):
    sign_in_with_two_factor(client, agent)

    page = client.get(page_of(place)).content.decode()

    assert f'href="/en/queue/kiosk/{place.facility.public_id}/"' in page
    assert f'href="/en/queue/display/{place.facility.public_id}/"' in page
