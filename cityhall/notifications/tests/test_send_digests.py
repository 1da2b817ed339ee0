import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.notifications.digests import DIGEST_CLAIM
from cityhall.notifications.models import DigestItem, Suppression
from cityhall.notifications.tasks import send_digests
from cityhall.notifications.tests.factories import RecipientSettingsFactory, TemplateFactory
from cluster.processes import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def daily_reader(citizen):
    RecipientSettingsFactory(user=citizen, phone_number="", digest_frequency="daily")
    TemplateFactory()
    TemplateFactory(
        code="evacuate",
        topic="alerts",
        subject="Evacuate",
        body="Leave {{ name }}.",
        variables=["name"],
    )
    return citizen


def _tell(notify_now, user, number):
    notify_now(
        recipient=user,
        topic="my_requests",
        template="request-closed",
        context={"name": "Camille", "number": number},
        event_key=f"request:{number}",
    )


def test_a_digest_reader_gets_items_instead_of_emails(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")

    assert mail.outbox == []
    assert DigestItem.objects.filter(recipient=daily_reader, sent_at=None).count() == 1
    assert daily_reader.notifications.get().in_inbox_at is not None  # the inbox is not held


def test_an_emergency_is_emailed_at_once_even_to_digest_readers(daily_reader, notify_now):
    notify_now(
        recipient=daily_reader,
        topic="alerts",
        template="evacuate",
        context={"name": "now"},
        event_key="alert:1",
        urgency="emergency",
    )

    assert [message.subject for message in mail.outbox] == ["Evacuate"]


def test_send_digests_emails_one_summary_of_all_waiting_items(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")
    _tell(notify_now, daily_reader, "311-2")

    sent_to = send_digests.enqueue("daily").return_value

    assert sent_to == 1
    [summary] = mail.outbox
    assert summary.to == [daily_reader.email]
    assert "Your request 311-1 is closed" in summary.body
    assert "Your request 311-2 is closed" in summary.body
    assert "Here are 2 messages" in summary.body
    assert "/en/notifications/choices/" in summary.body
    assert DigestItem.objects.filter(sent_at=None).count() == 0


def test_a_summary_is_sent_once(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")

    send_digests.enqueue("daily")
    send_digests.enqueue("daily")

    assert len(mail.outbox) == 1


def test_weekly_readers_wait_for_the_weekly_run(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")

    assert send_digests.enqueue("weekly").return_value == 0
    assert mail.outbox == []


def test_a_summary_is_written_in_the_readers_language(daily_reader, notify_now):
    daily_reader.preferred_language = "fr"
    daily_reader.save()
    _tell(notify_now, daily_reader, "311-1")

    send_digests.enqueue("daily")

    assert "/fr/notifications/choices/" in mail.outbox[0].body


def test_a_suppressed_address_gets_no_summary(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")
    Suppression.objects.create(channel="email", address=daily_reader.email, reason="hard_bounce")

    send_digests.enqueue("daily")

    assert mail.outbox == []
    assert DigestItem.objects.filter(sent_at=None).count() == 0


def _claimed(ago):
    DigestItem.objects.update(claim_token=uuid.uuid4(), updated_at=timezone.now() - ago)


def test_a_summary_another_worker_is_sending_is_not_sent_again(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")
    _claimed(timedelta(seconds=5))

    assert send_digests.enqueue("daily").return_value == 1  # queued for the reader, who gets none
    assert mail.outbox == []
    assert DigestItem.objects.filter(sent_at=None).count() == 1


def test_items_whose_worker_died_are_sent_once_the_claim_expires(daily_reader, notify_now):
    _tell(notify_now, daily_reader, "311-1")
    _claimed(DIGEST_CLAIM + timedelta(seconds=1))

    send_digests.enqueue("daily")

    assert len(mail.outbox) == 1
    assert DigestItem.objects.get().claim_token is None


def test_a_summary_the_mail_server_refused_waits_for_the_next_run(
    daily_reader, notify_now, settings
):
    _tell(notify_now, daily_reader, "311-1")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()

    send_digests.enqueue("daily")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_digests.enqueue("daily")

    assert len(mail.outbox) == 1
    assert DigestItem.objects.filter(sent_at=None).count() == 0
