"""The demo city has a queue today: staff on duty, someone served, called and people waiting."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.appointments.models import CounterSession, Visit
from cityhall.appointments.queue_selectors import facility_queue
from cityhall.demo.staff_access import AGENT_EMAIL
from cityhall.places.models import Facility

SMALL_CITY = ["--residents", "100", "--addresses", "1000", "--requests", "400"]


@pytest.fixture
def demo_city(db):
    call_command("load_demo_city", *SMALL_CITY, stdout=StringIO())


def test_city_hall_has_a_queue_today_with_the_demo_agent_on_duty(demo_city):
    city_hall = Facility.objects.get(name_en="City Hall")

    queue = facility_queue(city_hall, now=timezone.now())

    assert queue.waiting_count >= 7
    assert {visit.status for visit in queue.at_counters} == {"called", "serving"}
    assert CounterSession.objects.get(staff__email=AGENT_EMAIL).counter.facility == city_hall
    assert Visit.objects.filter(facility=city_hall, status=Visit.Status.SERVED).exists()


def test_resetting_the_demo_city_replaces_todays_queue(demo_city):
    call_command("load_demo_city", "--reset", *SMALL_CITY, stdout=StringIO())

    assert CounterSession.objects.filter(closed_at__isnull=True).count() == 3
    assert Visit.objects.filter(status=Visit.Status.SERVING).count() == 2
