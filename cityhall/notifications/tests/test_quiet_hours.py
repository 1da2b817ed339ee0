import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from cityhall.notifications.delivery import due_delivery_ids
from cityhall.notifications.models import Delivery, RecipientSettings
from cityhall.notifications.services import quiet_hours_end
from cityhall.notifications.tests.factories import TemplateFactory

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def _toronto(settings):
    settings.TIME_ZONE = "America/Toronto"


def _settings(start, end):
    return RecipientSettings(quiet_hours_start=start, quiet_hours_end=end)


def _at(hour, minute=0, day=10):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TORONTO)


def test_a_time_inside_overnight_quiet_hours_waits_until_the_next_morning():
    night = _settings(dt.time(22), dt.time(7))

    assert quiet_hours_end(user_settings=night, now=_at(23, 30)) == _at(7, day=11)


def test_a_time_after_midnight_waits_until_the_same_morning():
    night = _settings(dt.time(22), dt.time(7))

    assert quiet_hours_end(user_settings=night, now=_at(2, 15)) == _at(7)


def test_a_time_outside_quiet_hours_is_not_held():
    night = _settings(dt.time(22), dt.time(7))

    assert quiet_hours_end(user_settings=night, now=_at(7)) is None
    assert quiet_hours_end(user_settings=night, now=_at(21, 59)) is None


def test_daytime_quiet_hours_hold_until_their_end():
    meeting = _settings(dt.time(9), dt.time(17))

    assert quiet_hours_end(user_settings=meeting, now=_at(12)) == _at(17)
    assert quiet_hours_end(user_settings=meeting, now=_at(17)) is None


def test_times_are_read_in_the_citys_time_zone():
    night = _settings(dt.time(22), dt.time(7))
    utc_late_evening = dt.datetime(2026, 3, 11, 3, 0, tzinfo=dt.UTC)  # 23:00 in Toronto

    assert quiet_hours_end(user_settings=night, now=utc_late_evening) == _at(7, day=11)


def test_no_quiet_hours_hold_nothing():
    assert quiet_hours_end(user_settings=_settings(None, None), now=_at(3)) is None


@pytest.fixture
def always_quiet(citizen):
    # The whole day is quiet, so the test does not depend on when it runs.
    return RecipientSettings.objects.create(
        user=citizen, quiet_hours_start=dt.time(0), quiet_hours_end=dt.time(23, 59, 59, 999999)
    )


@pytest.mark.django_db
def test_a_normal_message_in_quiet_hours_is_held_until_they_end(citizen, always_quiet, notify_now):
    TemplateFactory()

    notify_now(
        recipient=citizen,
        topic="my_requests",
        template="request-closed",
        context={"name": "C", "number": "1"},
        event_key="e1",
    )

    assert mail.outbox == []
    email = Delivery.objects.get(channel="email")
    held_until = email.next_attempt_at
    assert email.status == "queued"
    assert held_until is not None
    assert due_delivery_ids(now=held_until - dt.timedelta(seconds=1)) == []
    assert due_delivery_ids(now=held_until) == [email.id]


@pytest.mark.django_db
def test_the_inbox_is_not_held_by_quiet_hours(citizen, always_quiet, notify_now):
    TemplateFactory()

    notify_now(
        recipient=citizen,
        topic="my_requests",
        template="request-closed",
        context={"name": "C", "number": "1"},
        event_key="e1",
    )

    assert Delivery.objects.get(channel="in_app").status == "delivered"
    assert citizen.notifications.get().in_inbox_at is not None


@pytest.mark.django_db
def test_an_emergency_ignores_quiet_hours(citizen, always_quiet, notify_now):
    TemplateFactory(topic="alerts", code="evacuate")

    notify_now(
        recipient=citizen,
        topic="alerts",
        template="evacuate",
        context={"name": "C", "number": "1"},
        event_key="e1",
        urgency="emergency",
    )

    assert len(mail.outbox) == 1
    assert Delivery.objects.get(channel="email").status == "sent"
