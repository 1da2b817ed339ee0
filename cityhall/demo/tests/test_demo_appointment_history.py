"""The demo city has months of past visits at its counters, with believable days and weeks."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import ExtractHour
from django.utils import timezone

from cityhall.appointments.figures import queue_figures
from cityhall.appointments.models import Booking, CounterSession, PublicHoliday, Visit
from cityhall.appointments.slots import city_zone
from cityhall.appointments.wait_estimates.live import read_facility_queue
from cityhall.places.models import Facility

SMALL_CITY = ["--residents", "100", "--addresses", "1000", "--requests", "400"]


@pytest.fixture
def demo_city(db):
    call_command("load_demo_city", *SMALL_CITY, stdout=StringIO())


def test_past_visits_follow_the_hours_the_week_and_the_bookings(demo_city):
    today = timezone.now().astimezone(city_zone()).date()
    past = Visit.objects.filter(day__lt=today)
    by_hour = dict(
        past.annotate(hour=ExtractHour("joined_at", tzinfo=city_zone()))
        .values_list("hour")
        .annotate(n=Count("id"))
    )
    holidays = set(PublicHoliday.objects.values_list("day", flat=True))
    kept = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, starts_at__date__lt=today - dt.timedelta(days=1)
    )

    assert past.count() > 5000
    assert past.values("day").distinct().count() > 50
    assert by_hour[10] > 1.5 * by_hour[16]
    assert not past.filter(day__in=holidays).exists()
    assert not past.filter(day__week_day__in=[1]).exists()  # no Sunday opening
    # About one kept booking in ten never came; the others were checked in.
    checked_in = kept.filter(visit__isnull=False).count() / kept.count()
    assert 0.8 < checked_in < 0.97
    # Every visit of the past was called after joining and ended.
    assert not past.filter(status__in=["waiting", "called", "serving"]).exists()
    assert not CounterSession.objects.filter(opened_at__date__lt=today, closed_at=None).exists()


def test_the_figures_and_the_estimates_have_the_history_to_work_with(demo_city):
    now = timezone.now()
    today = now.astimezone(city_zone()).date()
    city_hall = Facility.objects.get(name_en="City Hall")

    figures = queue_figures(first=today - dt.timedelta(days=27), last=today, facility=city_hall)
    snapshot = read_facility_queue(city_hall, now=now).snapshot

    [row] = figures.facilities
    assert row.figures.visits > 500
    assert row.figures.mean_wait is not None
    assert 0.2 < (row.utilisation.share or 0) < 0.95
    assert 0 < (row.figures.missed_booking_share or 0) < 0.25
    assert {hour.hour for hour in figures.hours} >= {9, 10, 11, 13, 14, 15}
    # What the estimator learns: each walk-in service's observed time at City Hall.
    assert snapshot.times.services
