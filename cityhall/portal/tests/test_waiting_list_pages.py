import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cityhall.appointments.models import Booking, WaitingListEntry
from cityhall.appointments.services import book_appointment, cancel_booking
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.appointments.tests.factories import bookable_place

Status = WaitingListEntry.Status


@pytest.fixture
def place(db):
    return bookable_place(counters=1, opens="09:00", closes="09:30", minimum_notice_minutes=0)


def tomorrow():
    return timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)


def join_url(place, language="en"):
    with translation.override(language):
        url = reverse("portal:join_waiting_list")
    return f"{url}?service={place.service.code}&facility={place.facility.public_id}"


def fill(place, citizen):
    """Book every time of tomorrow for `citizen`; returns the bookings."""
    day = tomorrow()
    place.service.max_open_bookings_per_person = 10
    place.service.save()
    return [
        book_appointment(
            service=place.service,
            facility=place.facility,
            starts_at=slot.starts_at,
            citizen=citizen,
        )
        for slot in slots_between(
            service=place.service, facility=place.facility, first=day, last=day
        )[day]
    ]


def test_the_booking_page_leads_to_the_waiting_list(client, place):
    url = f"{reverse('portal:book_appointment')}?service={place.service.code}"
    page = client.get(f"{url}&facility={place.facility.public_id}").content.decode()

    assert join_url(place).replace("&", "&amp;") in page


def test_a_citizen_joins_and_finds_the_entry_in_my_appointments_then_leaves(client, citizen, place):
    client.force_login(citizen)

    response = client.post(
        join_url(place), {"first_day": tomorrow(), "last_day": tomorrow() + dt.timedelta(days=2)}
    )

    assert response.status_code == 302
    entry = WaitingListEntry.objects.get(citizen=citizen)
    assert entry.status == Status.WAITING
    mine = client.get(reverse("portal:my_appointments")).content.decode()
    assert "Leave the waiting list" in mine
    client.post(reverse("portal:my_waiting_entry", args=[entry.public_id]), {"leave": "1"})
    entry.refresh_from_db()
    assert entry.status == Status.LEFT


def test_a_range_in_the_past_gets_a_clear_error_in_french(client, citizen, place):
    client.force_login(citizen)
    yesterday = tomorrow() - dt.timedelta(days=2)

    response = client.post(join_url(place, "fr"), {"first_day": yesterday, "last_day": yesterday})

    assert response.status_code == 200
    assert "Erreur" in response.content.decode()
    assert not WaitingListEntry.objects.exists()


def test_a_guest_confirms_the_email_then_accepts_an_offered_time_by_its_link(
    client, place, other_citizen, mailoutbox, django_capture_on_commit_callbacks
):
    taken = fill(place, other_citizen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            join_url(place),
            {"first_day": tomorrow(), "last_day": tomorrow(), "contact_email": "ana@example.org"},
        )
    (confirm_link,) = re.findall(r"https?://\S+/waiting-list/confirm/\S+/", mailoutbox[0].body)
    client.post("/" + confirm_link.split("://", 1)[1].split("/", 1)[1])
    assert WaitingListEntry.objects.get().status == Status.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=taken[0], actor=other_citizen)
    (offer,) = [mail for mail in mailoutbox if mail.to == ["ana@example.org"]][1:]
    (offer_link,) = re.findall(r"https?://\S+/waiting-list/offer/\S+/", offer.body)
    offer_path = "/" + offer_link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(offer_path).content.decode()
    assert "Accept this time" in page
    response = client.post(offer_path, {"accept": "1"})

    assert response.status_code == 302
    booking = Booking.objects.get(citizen=None)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.starts_at == taken[0].starts_at


def test_a_tampered_offer_link_is_refused(client, db):
    response = client.get(reverse("portal:waiting_offer", args=["not-a-real-token"]))

    assert response.status_code == 400
    assert "This link is not valid or has expired" in response.content.decode()
