"""What the back office reads about notifications: events, messages and daily figures."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.core.errors import PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.notifications.models import ChannelKind, Delivery, Notification, Topic
from cityhall.notifications.staff_selectors import (
    MESSAGES_SEARCHED,
    delivery_figures,
    notification_events,
    search_messages,
)
from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
Status = Delivery.Status


@pytest.fixture
def officer():
    return StaffRoleFactory(role=StaffRole.Role.COMMUNICATIONS_OFFICER, department=None).user


def message(recipient, event_key, deliveries=(), created_at=None):
    """A notification with one delivery per (channel, status), created at `created_at`."""
    notification = Notification.objects.create(
        recipient=recipient, topic=Topic.MY_REQUESTS, template_code="request-closed",
        event_key=event_key, language="en", subject="Closed", body="Your request is closed.",
    )  # fmt: skip
    for channel, status in deliveries:
        Delivery.objects.create(notification=notification, channel=channel, status=status,
                                body="Closed")  # fmt: skip
    if created_at is not None:
        Notification.objects.filter(pk=notification.pk).update(created_at=created_at)
        Delivery.objects.filter(notification=notification).update(created_at=created_at)
    return notification


def test_events_list_their_texts_variables_and_missing_languages(officer):
    TemplateFactory(code="closed", language="en", body="{{ number }}", variables=["number"])
    TemplateFactory(code="closed", language="en", channel="sms", subject="", body="{{ link }}",
                    variables=["link"])  # fmt: skip
    TemplateFactory(code="opened", language="en", body="Hi", subject="", variables=[])
    TemplateFactory(code="opened", language="fr", body="Salut", subject="", variables=[])

    events = {event.code: event for event in notification_events(actor=officer)}

    closed, opened = events["closed"], events["opened"]

    assert closed.code == "closed"
    assert closed.variables == ("link", "number")
    assert [code for code, _ in closed.missing_languages] == ["fr"]
    assert closed.template_in("en") is not None
    assert closed.template_in("fr") is None
    assert opened.missing_languages == []


def test_an_email_address_finds_that_persons_messages_only(officer):
    ana = UserFactory(email="ana@example.org")
    mine = message(ana, "step:1", [(ChannelKind.EMAIL, Status.DELIVERED)])
    message(UserFactory(email="bob@example.org"), "step:1")

    found = search_messages(actor=officer, query="  ANA@example.org ")

    assert found == [mine]
    assert [d.status for d in found[0].deliveries.all()] == [Status.DELIVERED]


def test_part_of_an_event_key_finds_its_messages_newest_first(officer):
    now = dt.datetime(2026, 3, 10, 12, tzinfo=TORONTO)
    older = message(UserFactory(), "service-request-step:abc", created_at=now)
    newer = message(UserFactory(), "service-request-step:abc",
                    created_at=now + dt.timedelta(hours=1))  # fmt: skip
    message(UserFactory(), "service-request-step:xyz")

    assert search_messages(actor=officer, query="step:ABC") == [newer, older]


def test_each_search_is_audited_and_an_empty_one_finds_nothing(officer):
    message(UserFactory(), "step:1")

    assert search_messages(actor=officer, query="   ") == []
    search_messages(actor=officer, query="step")

    event = AuditEvent.objects.get(action=MESSAGES_SEARCHED)
    assert (event.actor, event.data) == (officer, {"query": "step"})


def test_a_search_by_email_is_audited_by_recipient_without_the_address(officer):
    recipient = UserFactory(email="found@example.org")
    message(recipient, "step:1")

    search_messages(actor=officer, query="found@example.org")

    event = AuditEvent.objects.get(action=MESSAGES_SEARCHED)
    assert event.data == {"recipients": [str(recipient.public_id)]}
    assert "found@example.org" not in str(event.data)


def test_figures_count_each_channel_and_local_day_by_status(officer, settings):
    settings.TIME_ZONE = "America/Toronto"
    monday_late = dt.datetime(2026, 3, 9, 23, 30, tzinfo=TORONTO)  # already Tuesday in UTC
    tuesday = dt.datetime(2026, 3, 10, 9, tzinfo=TORONTO)
    person = UserFactory()
    message(person, "a", [(ChannelKind.EMAIL, Status.DELIVERED), (ChannelKind.SMS, Status.FAILED)],
            created_at=monday_late)  # fmt: skip
    message(person, "b", [(ChannelKind.EMAIL, Status.BOUNCED)], created_at=tuesday)
    message(person, "c", [(ChannelKind.EMAIL, Status.SENDING)], created_at=tuesday)
    message(person, "d", [(ChannelKind.EMAIL, Status.SENT)], created_at=tuesday)
    message(person, "e", [(ChannelKind.EMAIL, Status.SENT)],
            created_at=tuesday - dt.timedelta(days=3))  # fmt: skip

    rows = delivery_figures(actor=officer, days=2, today=dt.date(2026, 3, 10))

    assert [(row.day, row.channel, row.in_order(), row.total) for row in rows] == [
        (dt.date(2026, 3, 10), "email", [1, 1, 0, 1, 0], 3),
        (dt.date(2026, 3, 9), "email", [0, 0, 1, 0, 0], 1),
        (dt.date(2026, 3, 9), "sms", [0, 0, 0, 0, 1], 1),
    ]


def test_only_communications_staff_read_messages_and_figures(agent):
    with pytest.raises(PermissionDenied):
        search_messages(actor=agent, query="step")
    with pytest.raises(PermissionDenied):
        delivery_figures(actor=agent, days=7)
    with pytest.raises(PermissionDenied):
        notification_events(actor=agent)


def test_every_event_the_platform_ships_has_a_text_in_each_language(officer):
    events = notification_events(actor=officer)

    assert events, "the migrations seed the texts of the platform's events"
    assert {
        event.code: event.missing_languages for event in events if event.missing_languages
    } == {}
