"""The queue's screens at a facility: the kiosk gives a numbered ticket with a QR code of its
live page for two minutes, and the public display and its JSON show who is called where and
the waits per service, with no personal data."""

from __future__ import annotations

import re
import time

import pytest
from django.core import signing

from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.services_queue import call_next, take_ticket
from cityhall.appointments.tests.factories import bookable_place, staff_on_duty
from cityhall.places.tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return bookable_place(
        opens="00:00", closes="23:59:59", access=CounterService.Access.BOTH, name_en="Permits"
    )


def test_the_kiosk_offers_a_big_button_per_walk_in_service(client, place):
    page = client.get(f"/en/queue/kiosk/{place.facility.public_id}/").content.decode()

    assert f'name="service" value="{place.service.code}"' in page
    assert "Permits" in page
    assert 'hreflang="fr"' in page


def test_a_tap_at_the_kiosk_gives_a_number_and_a_qr_code_of_its_live_page(client, place):
    response = client.post(
        f"/en/queue/kiosk/{place.facility.public_id}/",
        {"service": place.service.code, "needs_priority": "1"},
    )
    ticket = client.get(response["Location"])

    visit = Visit.objects.get()
    page = ticket.content.decode()
    assert visit.channel == Visit.Channel.KIOSK
    assert visit.needs_priority
    assert f'<p class="kiosk-number">{visit.number}</p>' in page
    assert 'src="data:image/svg+xml' in page
    assert visit.token not in response["Location"]
    assert ticket["Referrer-Policy"] == "no-referrer"


def test_the_kiosk_ticket_screen_cannot_be_reopened_after_two_minutes(client, place, monkeypatch):
    # The reference is signed as if three minutes ago.
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda signer: signing.b62_encode(int(time.time()) - 180),
    )
    response = client.post(
        f"/en/queue/kiosk/{place.facility.public_id}/", {"service": place.service.code}
    )

    again = client.get(response["Location"])

    assert again.status_code == 302
    assert again["Location"] == f"/en/queue/kiosk/{place.facility.public_id}/"


def test_a_forged_kiosk_reference_leads_back_to_the_start(client, place):
    visit = take_ticket(
        facility=place.facility, service=place.service, channel="portal", actor=None
    )
    forged = signing.dumps(str(visit.public_id), salt="another-salt")

    response = client.get(f"/en/queue/kiosk/{place.facility.public_id}/ticket/{forged}/")

    assert response.status_code == 302


def test_the_kiosk_says_why_when_the_place_is_closed(client):
    closed = bookable_place(opens="00:00", closes="00:00:01", access="walk_in")

    response = client.post(
        f"/en/queue/kiosk/{closed.facility.public_id}/",
        {"service": closed.service.code},
        follow=True,
    )

    assert "This place is closed now." in response.content.decode()
    assert Visit.objects.count() == 0


def test_a_place_without_walk_in_services_has_no_screens(client):
    booking_only = bookable_place(access=CounterService.Access.BOOKING)
    elsewhere = FacilityFactory()

    for facility in (booking_only.facility, elsewhere):
        assert client.get(f"/en/queue/kiosk/{facility.public_id}/").status_code == 404
        assert client.get(f"/en/queue/display/{facility.public_id}/").status_code == 404
        assert client.get(f"/en/queue/display/{facility.public_id}/board.json").status_code == 404


def test_the_display_shows_the_number_called_to_its_counter(client, place):
    first = take_ticket(facility=place.facility, service=place.service, channel="kiosk", actor=None)
    take_ticket(facility=place.facility, service=place.service, channel="kiosk", actor=None)
    staff = staff_on_duty(place.counters[0], at=first.joined_at)
    call_next(counter=place.counters[0], actor=staff)

    page = client.get(f"/en/queue/display/{place.facility.public_id}/").content.decode()

    called = re.search(r'<tr class="is-called"><td>(\w+)</td><td>(\w+)</td></tr>', page)
    assert called is not None
    assert called.groups() == (first.number, place.counters[0].label)
    assert re.search(r"Permits</th><td data-field=\"waiting\">1</td>", page)
    assert "Scan this code to take a ticket from your phone" in page
    assert 'src="data:image/svg+xml' in page


def test_the_board_json_is_cheap_public_and_free_of_personal_data(
    client, citizen, place, django_assert_max_num_queries
):
    take_ticket(
        facility=place.facility,
        service=place.service,
        channel="portal",
        actor=citizen,
        citizen=citizen,
    )
    url = f"/en/queue/display/{place.facility.public_id}/board.json"

    with django_assert_max_num_queries(15):
        response = client.get(url)
    with django_assert_max_num_queries(0):
        client.get(url)

    data = response.json()
    assert data["services"][0]["waiting"] == 1
    assert data["services"][0]["name"] == "Permits"
    assert response["Cache-Control"] == "public, max-age=2"
    assert citizen.email not in response.content.decode()


def test_a_double_tap_at_the_kiosk_takes_one_ticket(client, place):
    url = f"/en/queue/kiosk/{place.facility.public_id}/"
    rendered = re.search(r'name="submission_key" value="([0-9a-f-]+)"', client.get(url).text)
    assert rendered is not None
    tap = {"service": place.service.code, "submission_key": rendered.group(1)}

    client.post(url, tap)
    second = client.post(url, tap)

    visit = Visit.objects.get()
    assert visit.number in client.get(second["Location"]).text
