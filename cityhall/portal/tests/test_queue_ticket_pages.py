"""The portal's walk-in ticket pages: choosing a place and a service, taking a ticket, the live
page and its JSON, and cancelling; a tampered link finds nothing."""

from __future__ import annotations

import re

import pytest

from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.services_queue import call_next, take_ticket
from cityhall.appointments.services_queue.nearly_next import live_page_path
from cityhall.appointments.tests.factories import (
    CounterServiceFactory,
    bookable_place,
    staff_on_duty,
)
from cityhall.places.tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    """A place open all day long, with one walk-in service at one counter."""
    return bookable_place(
        opens="00:00",
        closes="23:59:59",
        access=CounterService.Access.WALK_IN,
        name_en="Library card",
        name_fr="Carte de bibliothèque",
        documents_en="A proof of address.",
        documents_fr="Une preuve de domicile.",
    )


def kiosk_ticket(place, **extra):
    values = {"facility": place.facility, "service": place.service, "channel": "kiosk"}
    return take_ticket(**{**values, "actor": None, **extra})


def test_the_places_page_lists_only_places_that_give_tickets(client, place):
    FacilityFactory(name_en="Arena without counters")

    page = client.get("/en/queue/").content.decode()

    assert place.facility.name_en in page
    assert "Arena without counters" not in page


def test_the_ticket_form_shows_documents_people_waiting_and_the_wait(client, place):
    kiosk_ticket(place)

    response = client.get(f"/en/queue/at/{place.facility.public_id}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Library card" in page
    assert "A proof of address." in page
    assert "1 person waiting." in page
    assert "Estimated wait:" in page


def test_a_visitor_takes_a_ticket_and_lands_on_its_live_page(client, place):
    response = client.post(
        f"/en/queue/at/{place.facility.public_id}/",
        {"service": place.service.code, "contact_email": "ana@example.org", "needs_priority": "on"},
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/queue/t/{visit.token}/"
    assert visit.channel == Visit.Channel.PORTAL
    assert visit.needs_priority
    assert visit.contact_email == "ana@example.org"
    assert visit.language == "en"


def test_a_signed_in_citizen_takes_a_ticket_on_their_account(client, citizen, place):
    client.force_login(citizen)

    page = client.get(f"/fr/queue/at/{place.facility.public_id}/").content.decode()
    client.post(f"/fr/queue/at/{place.facility.public_id}/", {"service": place.service.code})

    visit = Visit.objects.get()
    assert 'name="contact_email"' not in page
    assert visit.citizen == citizen
    assert visit.language == "fr"


def test_a_closed_place_refuses_the_ticket_with_a_clear_error(client):
    closed = bookable_place(opens="00:00", closes="00:00:01", access="walk_in")

    response = client.post(
        f"/en/queue/at/{closed.facility.public_id}/", {"service": closed.service.code}
    )

    assert response.status_code == 400
    assert "This place is closed now." in response.content.decode()
    assert Visit.objects.count() == 0


def test_a_booking_only_service_gives_no_ticket(client, place):
    booking_only = CounterServiceFactory(access=CounterService.Access.BOOKING)
    place.counters[0].services.add(booking_only)

    response = client.post(
        f"/en/queue/at/{place.facility.public_id}/", {"service": booking_only.code}
    )

    assert response.status_code == 400
    assert "takes appointments only here" in response.content.decode()
    assert Visit.objects.count() == 0


def test_a_person_over_the_ticket_limit_is_told_why(client, citizen, place, settings):
    settings.QUEUE_MAX_OPEN_TICKETS_PER_PERSON = 1
    client.force_login(citizen)
    client.post(f"/en/queue/at/{place.facility.public_id}/", {"service": place.service.code})

    response = client.post(
        f"/en/queue/at/{place.facility.public_id}/", {"service": place.service.code}
    )

    assert response.status_code == 400
    assert "You already hold 1 tickets" in response.content.decode()
    assert Visit.objects.count() == 1


def test_a_bad_phone_number_is_shown_on_its_field(client, place):
    response = client.post(
        f"/en/queue/at/{place.facility.public_id}/",
        {"service": place.service.code, "contact_phone": "call me"},
    )

    assert response.status_code == 400
    assert 'id="id_contact_phone_error"' in response.content.decode()


def test_the_live_page_shows_number_position_and_wait_and_is_kept_private(client, place):
    kiosk_ticket(place)
    visit = kiosk_ticket(place)

    response = client.get(f"/en/queue/t/{visit.token}/")

    page = response.content.decode()
    assert visit.number in page
    assert "1 person is ahead of you." in page
    assert "Estimated wait" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]


def test_the_json_tells_the_counter_once_called(client, place):
    visit = kiosk_ticket(place)
    staff = staff_on_duty(place.counters[0], at=visit.joined_at)
    call_next(counter=place.counters[0], actor=staff)

    data = client.get(f"/en/queue/t/{visit.token}/status.json").json()

    assert data["status"] == "called"
    assert data["counter"] == place.counters[0].label
    assert data["headline"] == f"It is your turn: go to counter {place.counters[0].label} now."
    assert data["position"] is None


def test_the_json_is_cheap_and_shortly_cacheable(client, place, django_assert_max_num_queries):
    visit = kiosk_ticket(place)

    with django_assert_max_num_queries(12):
        response = client.get(f"/en/queue/t/{visit.token}/status.json")
    with django_assert_max_num_queries(0):
        client.get(f"/en/queue/t/{visit.token}/status.json")

    assert response.json()["position"] == 1
    assert response["Cache-Control"] == "private, max-age=2"


@pytest.mark.parametrize("suffix", ["", "status.json", "cancel/"])
def test_a_tampered_token_finds_nothing(client, place, suffix):
    visit = kiosk_ticket(place)
    tampered = visit.token[:-1] + ("A" if visit.token[-1] != "A" else "B")

    response = client.get(f"/en/queue/t/{tampered}/{suffix}")

    assert response.status_code == 404


def test_the_holder_cancels_after_confirming(client, place):
    visit = kiosk_ticket(place)

    question = client.get(f"/en/queue/t/{visit.token}/cancel/")
    client.post(f"/en/queue/t/{visit.token}/cancel/")

    visit.refresh_from_db()
    assert "Cancel your ticket?" in question.content.decode()
    assert visit.status == Visit.Status.CANCELLED
    page = client.get(f"/en/queue/t/{visit.token}/").content.decode()
    assert "Cancelled: you left the queue." in page
    assert '<p data-show-when="can_cancel" hidden>' in page


def test_tickets_are_reached_from_home_the_booking_page_and_the_navigation(client, place):
    both = bookable_place(access=CounterService.Access.BOTH)

    home = client.get("/en/").content.decode()
    booking = client.get("/en/appointments/book/").content.decode()
    booking_at_place = client.get(
        f"/en/appointments/book/?service={both.service.code}&facility={both.facility.public_id}"
    ).content.decode()
    queue = client.get(f"/en/queue/at/{place.facility.public_id}/").content.decode()

    assert '<h3><a href="/en/queue/">Take a ticket</a></h3>' in home
    assert 'href="/en/queue/"' in booking
    assert f'href="/en/queue/at/{both.facility.public_id}/?service={both.service.code}"' in (
        booking_at_place
    )
    assert '<a href="/en/appointments/book/" aria-current="page">Appointments</a>' in queue


def test_my_appointments_leads_to_my_tickets(client, citizen):
    client.force_login(citizen)

    page = client.get("/en/appointments/mine/").text

    assert '<a class="button button-secondary" href="/en/queue/">Take a ticket</a>' in page


def test_a_signed_in_citizen_finds_their_open_tickets_again(client, citizen, other_citizen, place):
    mine = take_ticket(
        facility=place.facility,
        service=place.service,
        channel="portal",
        actor=citizen,
        citizen=citizen,
    )
    theirs = take_ticket(
        facility=place.facility,
        service=place.service,
        channel="portal",
        actor=other_citizen,
        citizen=other_citizen,
    )
    client.force_login(citizen)

    page = client.get("/en/queue/").content.decode()

    assert f'href="/en/queue/t/{mine.token}/"' in page
    assert theirs.token not in page


def test_the_live_page_reloads_itself_without_javascript_unless_told_to_stop(client, place):
    visit = kiosk_ticket(place)

    reloading = client.get(f"/en/queue/t/{visit.token}/").content.decode()
    stopped = client.get(f"/en/queue/t/{visit.token}/?refresh=off").content.decode()

    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in reloading
    assert f'href="/en/queue/t/{visit.token}/?refresh=off"' in reloading
    assert 'http-equiv="refresh"' not in stopped


def test_the_first_few_in_line_are_told_it_is_nearly_their_turn(client, place, settings):
    settings.QUEUE_NEARLY_NEXT_COUNT = 1
    first, second = kiosk_ticket(place), kiosk_ticket(place)

    first_state = client.get(f"/en/queue/t/{first.token}/status.json").json()
    second_state = client.get(f"/en/queue/t/{second.token}/status.json").json()

    assert first_state["headline"].startswith("Nearly your turn")
    assert second_state["headline"] == "Waiting"


def test_the_live_page_reads_little(client, place, django_assert_max_num_queries):
    for _ in range(5):
        kiosk_ticket(place)
    visit = kiosk_ticket(place)

    with django_assert_max_num_queries(14):
        response = client.get(f"/en/queue/t/{visit.token}/")

    assert response.status_code == 200


def test_tickets_leaving_a_contact_are_limited_per_address(client, place, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "queue.portal_tickets": "1/hour"}
    url = f"/en/queue/at/{place.facility.public_id}/"
    client.post(url, {"service": place.service.code, "contact_phone": "514 555-0123"})

    response = client.post(url, {"service": place.service.code, "contact_email": "b@example.org"})

    assert response.status_code == 400
    assert "Too many requests. Try again in" in response.content.decode()
    assert Visit.objects.count() == 1


def test_a_double_click_takes_one_ticket(client, place):
    url = f"/en/queue/at/{place.facility.public_id}/"
    rendered = re.search(r'name="submission_key" value="([0-9a-f-]+)"', client.get(url).text)
    assert rendered is not None
    key = rendered.group(1)
    form = {"service": place.service.code, "submission_key": key}

    first = client.post(url, form)
    second = client.post(url, form)

    assert Visit.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_link_in_the_nearly_next_message_opens_the_live_page(client, place):
    visit = kiosk_ticket(place)

    response = client.get(live_page_path(visit), follow=True)

    assert response.status_code == 200
    assert visit.number in response.text
