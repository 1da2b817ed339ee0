"""The demo city has counters to book: services, hours, holidays, a closure and bookings."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.appointments.models import Booking, Closure, Counter, CounterService, PublicHoliday
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_city_hall_offers_its_counter_services_with_hours_and_months_of_bookings(demo_city):
    now = timezone.now()

    assert Counter.objects.filter(facility__name_en="City Hall").count() == 4
    assert CounterService.objects.filter(code="marriage-file", counters__isnull=False).exists()
    assert PublicHoliday.objects.exists()
    assert Closure.objects.exists()
    assert Booking.objects.filter(starts_at__lt=now - timedelta(days=60)).exists()
    assert Booking.objects.filter(starts_at__gt=now, status=Booking.Status.CONFIRMED).count() > 10


def test_the_demo_citizen_has_a_coming_appointment(demo_city):
    assert Booking.objects.filter(
        citizen__email=DEMO_CITIZEN_EMAIL, starts_at__gt=timezone.now()
    ).exists()


def test_resetting_the_demo_city_removes_its_counters_and_bookings(demo_city):
    call_command(
        "load_demo_city",
        "--reset",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )

    assert Counter.objects.filter(facility__name_en="City Hall").count() == 4
    assert CounterService.objects.filter(code="passport-id").count() == 1
