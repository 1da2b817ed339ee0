"""The bulk path tells many people one event in a few statements, once, urgent ones at once."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from freezegun import freeze_time

from cityhall.accounts.tests.factories import UserFactory
from cityhall.notifications import bulk
from cityhall.notifications.bulk import (
    BulkEvent,
    BulkRecipient,
    BulkText,
    account_recipients,
    event_figures,
    queue_sends,
    record_bulk,
)
from cityhall.notifications.models import (
    ChannelKind,
    Delivery,
    DigestFrequency,
    DigestItem,
    Notification,
    Topic,
    Urgency,
)
from cityhall.notifications.tests.factories import RecipientSettingsFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "en": BulkText(subject="Flood warning", body="Leave the riverside now."),
    "fr": BulkText(subject="Alerte d'inondation", body="Quittez la rive maintenant."),
}


def event(urgency: str = Urgency.EMERGENCY) -> BulkEvent:
    return BulkEvent(
        key="alert:test:1",
        topic=Topic.ALERTS,
        template_code="alert",
        urgency=urgency,
        texts=TEXTS,
        link="/alerts/",
    )


def neighbour(key: str, language: str = "fr") -> BulkRecipient:
    return BulkRecipient(
        key=key,
        language=language,
        channels=((ChannelKind.EMAIL, f"{key}@example.org"),),
        unsubscribe_url=f"https://city.example/alerts/stop/{key}/",
    )


def test_a_person_without_an_account_gets_the_email_in_their_language_with_their_link(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        recorded = record_bulk(event(), [neighbour("s1")])

    assert recorded.count == 1
    notification = Notification.objects.get()
    assert notification.recipient is None
    assert notification.language == "fr"
    [message] = mail.outbox
    assert message.subject == "Alerte d'inondation"
    assert message.to == ["s1@example.org"]
    assert "https://city.example/alerts/stop/s1/" in message.extra_headers["List-Unsubscribe"]


def test_a_batch_recorded_twice_adds_nothing_and_sends_nothing_twice(
    django_capture_on_commit_callbacks,
):
    people = [neighbour("s1"), neighbour("s2", "en")]
    with django_capture_on_commit_callbacks(execute=True):
        first = record_bulk(event(), people)
    with django_capture_on_commit_callbacks(execute=True):
        again = record_bulk(event(), people)

    assert first.count == 2
    assert again.count == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_an_emergency_ignores_quiet_hours_and_digests_and_a_normal_event_respects_them():
    person = UserFactory(preferred_language="en")
    RecipientSettingsFactory(
        user=person,
        quiet_hours_start=dt.time(0, 0),
        quiet_hours_end=dt.time(23, 59),
        digest_frequency=DigestFrequency.DAILY,
    )
    with freeze_time("2026-06-01 12:00:00"):
        [urgent] = account_recipients([person.id], topic=Topic.ALERTS, urgency=Urgency.EMERGENCY)
        [normal] = account_recipients([person.id], topic=Topic.ALERTS, urgency=Urgency.NORMAL)

    assert urgent.held_until is None
    assert (ChannelKind.EMAIL, person.email) in urgent.channels
    assert normal.held_until is not None
    assert ChannelKind.EMAIL not in dict(normal.channels)

    record_bulk(event(), [urgent])

    email = Delivery.objects.get(channel=ChannelKind.EMAIL)
    assert email.next_attempt_at is None
    assert not DigestItem.objects.exists()


def test_an_account_gets_its_chosen_channels_with_its_phone_for_texts():
    person = UserFactory(preferred_language="fr")
    RecipientSettingsFactory(user=person, phone_number="+15145550123")

    [found] = account_recipients([person.id], topic=Topic.ALERTS, urgency=Urgency.EMERGENCY)

    assert found.language == "fr"
    assert dict(found.channels) == {
        ChannelKind.SMS: "+15145550123",
        ChannelKind.IN_APP: str(person.public_id),
        ChannelKind.EMAIL: person.email,
    }
    assert [channel for channel, _address in found.channels][-1] == ChannelKind.EMAIL


class RecordingTask:
    """Stands for the send task on a backend with priorities; records what is queued."""

    def __init__(self, calls, priority=None, queue_name="notifications"):
        self.calls, self.priority, self.queue_name = calls, priority, queue_name

    def get_backend(self):
        return SimpleNamespace(supports_priority=True)

    def using(self, *, priority=None, queue_name=None):
        return RecordingTask(self.calls, priority or self.priority, queue_name or self.queue_name)

    def enqueue(self, ids):
        self.calls.append((self.queue_name, self.priority, list(ids)))


def test_sends_are_queued_fast_channels_first_at_top_priority_and_email_last(monkeypatch):
    calls: list = []
    monkeypatch.setattr("cityhall.notifications.tasks.deliver_notifications", RecordingTask(calls))
    monkeypatch.setattr(bulk, "SEND_BATCH_SIZE", 2)

    queued = queue_sends({"email": [1, 2, 3], "sms": [4], "web_push": [5, 6]})

    assert queued == 4
    assert calls == [
        ("notifications", 100, [5, 6]),
        ("notifications", 100, [4]),
        ("notifications", None, [1, 2]),
        ("notifications", None, [3]),
    ]


def test_figures_count_each_channels_deliveries_by_outcome(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record_bulk(event(), [neighbour("s1"), neighbour("s2")])
    Delivery.objects.filter(address="s2@example.org").update(status=Delivery.Status.FAILED)

    assert event_figures("alert:test:1") == {"email": {"queued": 0, "sent": 1, "failed": 1}}
