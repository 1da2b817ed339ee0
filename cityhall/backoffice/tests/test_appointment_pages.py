import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.appointments.models import Closure
from cityhall.appointments.services import book_appointment
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.appointments.tests.factories import bookable_place
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

LIST = "/en/staff/appointments/"


@pytest.fixture
def booked(citizen):
    place = bookable_place()
    day = timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)
    slot = slots_between(service=place.service, facility=place.facility, first=day, last=day)[day][
        0
    ]
    book_appointment(
        service=place.service, facility=place.facility, starts_at=slot.starts_at, citizen=citizen
    )
    return place


def test_an_agent_sees_each_places_coming_bookings_without_personal_details(client, agent, booked):
    sign_in_with_two_factor(client, agent)

    places = client.get(LIST).content.decode()
    page = client.get(f"{LIST}{booked.facility.public_id}/").content.decode()

    assert booked.facility.name_en in places
    assert booked.service.name_en in page
    assert "Confirmed" in page
    assert "camille" not in page.lower()


def test_a_places_page_is_titled_with_the_place_alone(client, supervisor, booked):
    sign_in_with_two_factor(client, supervisor)

    page = client.get(f"{LIST}{booked.facility.public_id}/").content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]

    assert f"Appointments at {booked.facility.name_en}" in title
    assert "<" not in title
    assert page.count('id="closures"') == 1


def test_a_place_without_counters_is_not_found(client, agent):
    sign_in_with_two_factor(client, agent)

    assert client.get(f"{LIST}00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_privacy_officer_cannot_open_the_appointment_pages(client):
    privacy_officer = StaffRoleFactory(role="privacy_officer", department=None).user
    sign_in_with_two_factor(client, privacy_officer)

    assert client.get(LIST).status_code == 403


def test_a_supervisor_closes_a_place_on_a_day_and_its_times_go(client, supervisor, booked):
    sign_in_with_two_factor(client, supervisor)
    day = timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)
    form = {"starts_on": day, "ends_on": day, "reason_en": "Training", "reason_fr": "Formation"}

    added = client.post(f"{LIST}{booked.facility.public_id}/closures/", form)
    page = client.get(f"{LIST}{booked.facility.public_id}/").content.decode()

    assert added.status_code == 302
    assert (
        slots_between(service=booked.service, facility=booked.facility, first=day, last=day) == {}
    )
    assert "1 booking already made on these days" in page
    closure = Closure.objects.get()
    removed = client.post(f"{LIST}closures/{closure.public_id}/remove/")
    assert removed.status_code == 302
    assert not Closure.objects.exists()


def test_an_agent_cannot_close_a_place(client, agent, booked):
    sign_in_with_two_factor(client, agent)
    day = timezone.now().astimezone(city_zone()).date()
    form = {"starts_on": day, "ends_on": day, "reason_en": "No", "reason_fr": "Non"}

    response = client.post(f"{LIST}{booked.facility.public_id}/closures/", form)

    assert response.status_code == 403
    assert not Closure.objects.exists()


def test_an_agent_sees_how_many_wait_for_each_service_without_who(client, agent, booked, citizen):
    from cityhall.appointments.waiting_list import join_waiting_list

    day = timezone.now().astimezone(city_zone()).date() + dt.timedelta(days=1)
    join_waiting_list(
        service=booked.service, facility=booked.facility, first_day=day, last_day=day,
        citizen=citizen,
    )  # fmt: skip
    sign_in_with_two_factor(client, agent)

    page = client.get(f"{LIST}{booked.facility.public_id}/").content.decode()

    assert "People waiting for a freed time, by service" in page
    assert "<td>1</td><td>0</td>" in page
    assert citizen.email not in page
