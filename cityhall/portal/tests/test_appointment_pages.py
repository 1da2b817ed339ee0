import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cityhall.appointments.links import management_token
from cityhall.appointments.models import Booking
from cityhall.appointments.services import book_appointment
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.appointments.tests.factories import bookable_place


@pytest.fixture
def place(db):
    return bookable_place(counters=1, opens="09:00", closes="12:00")


def tomorrow():
    return timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)


def first_slot(place):
    day = tomorrow()
    return slots_between(service=place.service, facility=place.facility, first=day, last=day)[day][
        0
    ]


def picker_url(place, language="en"):
    with translation.override(language):
        url = reverse("portal:book_appointment")
    return (
        f"{url}?service={place.service.code}&facility={place.facility.public_id}&day={tomorrow()}"
    )


def test_booking_starts_with_services_then_places_then_days_and_times(client, place):
    services = client.get(reverse("portal:book_appointment"))
    places = client.get(f"{reverse('portal:book_appointment')}?service={place.service.code}")
    times = client.get(picker_url(place))

    assert place.service.name_en in services.content.decode()
    assert place.facility.name_en in places.content.decode()
    page = times.content.decode()
    assert "<legend>" in page
    assert 'type="radio" name="starts_at"' in page
    assert 'aria-current="date"' in page


def test_the_pages_speak_french_under_fr(client, place):
    response = client.get(picker_url(place, "fr"))

    assert response.status_code == 200
    assert place.service.name_fr in response.content.decode()


def test_the_main_navigation_offers_booking(client, db):
    response = client.get(reverse("portal:home"))

    assert reverse("portal:book_appointment") in response.content.decode()


def test_a_signed_in_citizen_books_a_time_and_finds_it_in_my_appointments(client, citizen, place):
    client.force_login(citizen)
    slot = first_slot(place)

    response = client.post(picker_url(place), {"starts_at": slot.starts_at.isoformat()})

    assert response.status_code == 302
    booking = Booking.objects.get(citizen=citizen)
    assert booking.status == Booking.Status.CONFIRMED
    mine = client.get(reverse("portal:my_appointments")).content.decode()
    assert place.service.name_en in mine
    assert "/appointments/feed/" in mine


def test_a_visitor_books_with_an_email_and_confirms_through_the_link(
    client, place, mailoutbox, django_capture_on_commit_callbacks
):
    slot = first_slot(place)

    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(
            picker_url(place),
            {"starts_at": slot.starts_at.isoformat(), "contact_email": "ana@example.org"},
        )
    found = re.search(r"https?://\S+/appointments/confirm/\S+/", mailoutbox[-1].body)
    assert found is not None, mailoutbox[-1].body
    link = found.group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    confirmed = client.post(f"/{path}")

    assert booked.status_code == 302
    assert confirmed.status_code == 302
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_a_visitor_must_give_an_email(client, place):
    response = client.post(
        picker_url(place), {"starts_at": first_slot(place).starts_at.isoformat()}
    )

    assert response.status_code == 200
    assert not Booking.objects.exists()
    assert "Enter your email address." in response.content.decode()


def test_a_taken_time_is_refused_with_the_next_free_time(client, citizen, other_citizen, place):
    slot = first_slot(place)
    book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=slot.starts_at,
        citizen=other_citizen,
    )
    client.force_login(citizen)

    response = client.post(picker_url(place), {"starts_at": slot.starts_at.isoformat()})

    page = response.content.decode()
    assert response.status_code == 200
    assert "just taken" in page
    assert "The next free time is" in page


def test_the_emailed_link_cancels_the_appointment(client, place):
    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=first_slot(place).starts_at,
        contact_email="ana@example.org",
    )
    url = reverse("portal:manage_appointment", args=[management_token(booking)])

    page = client.get(url)
    response = client.post(url, {"cancel": "1"})

    assert page.status_code == 200
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_an_altered_link_is_refused(client, db):
    response = client.get(reverse("portal:manage_appointment", args=["not-a-real-token"]))

    assert response.status_code == 400


def test_another_citizens_appointment_is_not_found(client, citizen, other_citizen, place):
    booking = book_appointment(
        service=place.service,
        facility=place.facility,
        starts_at=first_slot(place).starts_at,
        citizen=other_citizen,
    )
    client.force_login(citizen)

    response = client.get(reverse("portal:my_appointment", args=[booking.public_id]))

    assert response.status_code == 404


def test_bookings_without_an_account_are_limited_per_address(client, place, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "appointments.guest_bookings": "1/hour"}
    slot = first_slot(place)
    client.post(
        picker_url(place),
        {"starts_at": slot.starts_at.isoformat(), "contact_email": "a@example.org"},
    )

    refused = client.post(
        picker_url(place), {"starts_at": slot.ends_at.isoformat(), "contact_email": "b@example.org"}
    )

    assert "Too many requests" in refused.content.decode()
    assert Booking.objects.count() == 1
