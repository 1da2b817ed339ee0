import datetime as dt

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.appointments.models import CounterSession, Visit
from cityhall.appointments.slots import city_zone
from cityhall.appointments.tests.factories import bookable_place
from cityhall.backoffice.navigation import navigation_for
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

PAGE = "/en/staff/appointments/figures/"


@pytest.fixture
def served_yesterday():
    """A place whose one counter was on duty two hours yesterday and served a visit."""
    place = bookable_place()
    day = timezone.now().astimezone(city_zone()).date() - dt.timedelta(days=1)
    nine = dt.datetime.combine(day, dt.time(9), tzinfo=city_zone())
    CounterSession.objects.create(
        counter=place.counters[0], staff=UserFactory(),
        opened_at=nine, closed_at=nine + dt.timedelta(hours=2),
    )  # fmt: skip
    Visit.objects.create(
        facility=place.facility, service=place.service, day=day, number="A001",
        kind=Visit.Kind.WALK_IN, channel=Visit.Channel.KIOSK, status=Visit.Status.SERVED,
        joined_at=nine, called_at=nine + dt.timedelta(minutes=24),
        serving_started_at=nine + dt.timedelta(minutes=24),
        finished_at=nine + dt.timedelta(minutes=54), counter=place.counters[0],
    )  # fmt: skip
    return place


def test_a_supervisor_reads_the_waits_and_utilisation_of_the_last_four_weeks(
    client, supervisor, served_yesterday
):
    sign_in_with_two_factor(client, supervisor)

    page = client.get(PAGE).content.decode()

    assert served_yesterday.facility.name_en in page
    assert served_yesterday.service.name_en in page
    assert "<caption>By counter</caption>" in page
    # One visit, 24 minutes of wait; the counter held it 30 minutes of its 2 hours (25 %).
    assert '<td class="number">24</td>' in page
    assert '<td class="number">25</td>' in page


def test_the_page_reads_in_french(client, supervisor, served_yesterday):
    sign_in_with_two_factor(client, supervisor)

    page = client.get(PAGE.replace("/en/", "/fr/")).content.decode()

    assert served_yesterday.facility.name_fr in page
    assert 'lang="fr' in page


def test_one_place_can_be_chosen(client, supervisor, served_yesterday):
    other = bookable_place()
    sign_in_with_two_factor(client, supervisor)
    today = timezone.now().astimezone(city_zone()).date()

    page = client.get(
        PAGE,
        {
            "facility": str(other.facility.public_id),
            "first": (today - dt.timedelta(days=7)).isoformat(),
            "last": today.isoformat(),
        },
    ).content.decode()

    assert "No visit in this period." in page
    assert served_yesterday.service.name_en not in page


def test_a_period_ending_before_it_starts_is_refused_with_a_clear_error(client, supervisor):
    sign_in_with_two_factor(client, supervisor)

    response = client.get(PAGE, {"first": "2031-03-10", "last": "2031-03-01"})

    assert response.status_code == 400
    assert "The last day comes before the first." in response.content.decode()


def test_an_agent_cannot_open_the_figures_nor_sees_them_in_the_menu(client, agent, supervisor):
    sign_in_with_two_factor(client, agent)

    assert client.get(PAGE).status_code == 403
    assert PAGE not in [link.url for link in navigation_for(agent)]
    assert PAGE in [link.url for link in navigation_for(supervisor)]
