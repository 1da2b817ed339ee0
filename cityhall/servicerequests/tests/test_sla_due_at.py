from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cityhall.catalog.models import Service
from cityhall.servicerequests.sla import due_at

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def _city_time_zone(settings):
    settings.TIME_ZONE = "America/Toronto"


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=TORONTO)


def business(hours):
    return Service(sla_hours=hours, sla_calendar=Service.SlaCalendar.BUSINESS_HOURS)


def test_business_hours_skip_the_weekend():
    friday_afternoon = at(6, 15, 30)

    due = due_at(service=business(8), submitted_at=friday_afternoon)

    # One hour on Friday, seven from Monday 8:30.
    assert due == at(9, 15, 30)


def test_a_request_filed_on_saturday_counts_from_monday_opening():
    due = due_at(service=business(2), submitted_at=at(7, 11))

    assert due == at(9, 10, 30)


def test_a_request_filed_before_opening_counts_from_opening():
    due = due_at(service=business(1), submitted_at=at(10, 6))

    assert due == at(10, 9, 30)


def test_a_request_filed_after_closing_counts_from_the_next_morning():
    due = due_at(service=business(8), submitted_at=at(10, 18))

    assert due == at(11, 16, 30)


def test_business_hours_are_read_in_the_city_time_zone():
    utc_friday_evening = datetime(2026, 3, 6, 20, 30, tzinfo=ZoneInfo("UTC"))  # 15:30 in Toronto

    due = due_at(service=business(8), submitted_at=utc_friday_evening)

    assert due == at(9, 15, 30)


def test_calendar_hours_run_through_nights_and_weekends():
    service = Service(sla_hours=48, sla_calendar=Service.SlaCalendar.CALENDAR)

    due = due_at(service=service, submitted_at=datetime(2026, 3, 13, 15, 30, tzinfo=TORONTO))

    assert due == datetime(2026, 3, 15, 15, 30, tzinfo=TORONTO)


def test_calendar_hours_are_elapsed_hours_across_a_clock_change():
    service = Service(sla_hours=48, sla_calendar=Service.SlaCalendar.CALENDAR)

    # Clocks in Toronto go forward on Sunday 8 March 2026.
    due = due_at(service=service, submitted_at=at(6, 15, 30))

    assert due == at(8, 16, 30)
