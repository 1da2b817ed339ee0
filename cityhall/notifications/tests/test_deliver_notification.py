import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.core.errors import DeliveryFailed
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.delivery import (
    MAX_ATTEMPTS,
    backoff_delay,
    claim_delivery,
    deliver,
    due_delivery_ids,
)
from cityhall.notifications.models import ChannelKind, Delivery, Notification, Suppression
from cityhall.notifications.tasks import (
    deliver_notification,
    deliver_notifications,
    retry_due_deliveries,
)

pytestmark = pytest.mark.django_db


class FlakyChannel(Channel):
    kind = ChannelKind.EMAIL

    def __init__(self, *, permanent=False):
        self.permanent = permanent
        self.calls = 0

    def send(self, delivery):
        self.calls += 1
        raise DeliveryFailed("relay says no", permanent=self.permanent)


@pytest.fixture
def queued_email(citizen):
    notification = Notification.objects.create(
        recipient=citizen,
        topic="my_requests",
        template_code="x",
        event_key="e1",
        language="en",
        subject="Subject",
        body="Body",
    )
    return Delivery.objects.create(
        notification=notification,
        channel="email",
        address=citizen.email,
        subject="Subject",
        body="Body",
    )


def test_a_delivery_is_claimed_once_so_two_workers_never_both_send_it(queued_email):
    first = claim_delivery(queued_email.id)
    second = claim_delivery(queued_email.id)

    assert (first, second) == (True, False)
    queued_email.refresh_from_db()
    assert (queued_email.status, queued_email.attempts) == ("sending", 1)


def test_a_claimed_delivery_is_not_sent_again_by_the_task(queued_email):
    claim_delivery(queued_email.id)

    deliver_notification.enqueue(queued_email.id)

    assert mail.outbox == []


def test_a_claim_abandoned_by_a_dead_worker_is_retried_once_it_expires(queued_email):
    claim_delivery(queued_email.id)
    later = timezone.now() + dt.timedelta(hours=1)

    assert due_delivery_ids(now=later) == [queued_email.id]
    assert claim_delivery(queued_email.id, now=later)


def test_the_task_sends_a_queued_delivery(queued_email):
    deliver_notification.enqueue(queued_email.id)

    queued_email.refresh_from_db()
    assert queued_email.status == "sent"
    assert len(mail.outbox) == 1


def test_the_task_ignores_a_delivery_that_is_gone():
    deliver_notification.enqueue(123456)

    assert mail.outbox == []


def test_backoff_doubles_and_is_capped():
    delays = [backoff_delay(attempts).total_seconds() for attempts in (1, 2, 3, 4, 20)]

    assert delays == [60, 120, 240, 480, 6 * 3600]


def test_a_temporary_failure_waits_for_the_backoff_before_the_next_attempt(queued_email):
    channel = FlakyChannel()
    before = timezone.now()

    deliver(queued_email.id, channel=channel)

    queued_email.refresh_from_db()
    assert queued_email.status == "queued"
    assert queued_email.last_error == "relay says no"
    assert queued_email.next_attempt_at >= before + dt.timedelta(seconds=60)
    assert deliver(queued_email.id, channel=channel) is None  # not due yet
    assert channel.calls == 1


def test_a_permanent_failure_is_not_retried(queued_email):
    deliver(queued_email.id, channel=FlakyChannel(permanent=True))

    queued_email.refresh_from_db()
    assert (queued_email.status, queued_email.is_permanent_failure) == ("failed", True)
    assert due_delivery_ids(now=timezone.now() + dt.timedelta(days=7)) == []


def test_the_delivery_fails_after_the_last_attempt(queued_email):
    channel = FlakyChannel()
    for _attempt in range(MAX_ATTEMPTS):
        Delivery.objects.filter(id=queued_email.id).update(next_attempt_at=None)
        deliver(queued_email.id, channel=channel)

    queued_email.refresh_from_db()
    assert (queued_email.status, queued_email.attempts) == ("failed", MAX_ATTEMPTS)
    assert queued_email.is_permanent_failure is False
    assert channel.calls == MAX_ATTEMPTS


def test_retry_due_deliveries_sends_the_due_ones_only(queued_email, citizen):
    past, future = timezone.now() - dt.timedelta(minutes=1), timezone.now() + dt.timedelta(hours=1)
    Delivery.objects.filter(id=queued_email.id).update(next_attempt_at=past)
    waiting = Delivery.objects.create(
        notification=queued_email.notification,
        channel="in_app",
        address="x",
        body="Body",
        next_attempt_at=future,
    )

    retried = retry_due_deliveries.enqueue().return_value

    assert retried == 1
    queued_email.refresh_from_db()
    waiting.refresh_from_db()
    assert (queued_email.status, waiting.status) == ("sent", "queued")


def _queued(citizen, count):
    return [
        Delivery.objects.create(
            notification=Notification.objects.create(
                recipient=citizen,
                topic="my_requests",
                template_code="x",
                event_key=f"batch-{index}",
                language="en",
                subject=f"S{index}",
                body="B",
            ),
            channel="email",
            address=citizen.email,
            subject=f"S{index}",
            body="B",
        )
        for index in range(count)
    ]


def test_a_batch_is_sent_once_even_if_queued_twice(citizen):
    ids = [delivery.id for delivery in _queued(citizen, 3)]

    deliver_notifications.enqueue(ids)
    deliver_notifications.enqueue(ids)

    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_suppressed_address_in_a_batch_is_failed_without_sending(citizen):
    ids = [delivery.id for delivery in _queued(citizen, 2)]
    Suppression.objects.create(channel="email", address=citizen.email, reason="stop")

    deliver_notifications.enqueue(ids)

    assert mail.outbox == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
