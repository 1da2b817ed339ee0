"""Sending one webhook delivery to a real receiver on 127.0.0.1, and what the log records."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from cityhall.core.models import AuditEvent
from cityhall.integrations.delivery import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_MAX_SECONDS,
    ENQUEUE_GRACE,
    JITTER_RATIO,
    RETRY_WINDOW,
    backoff_delay,
    deliver_webhook_now,
    due_webhook_delivery_ids,
)
from cityhall.integrations.models import WebhookDelivery, WebhookSubscription
from cityhall.integrations.tasks import deliver_webhook, retry_due_webhook_deliveries
from cityhall.integrations.tests.factories import (
    SECRET,
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
)
from cityhall.integrations.tests.receiver import running_webhook_receiver

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status
DOCS = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def documented_verifier():
    """The verification function docs/webhooks.md gives receivers, exactly as written there."""
    text = DOCS.read_text()
    block = re.search(r"<!-- verify-recipe.*?```python\n(.*?)```", text, re.DOTALL)
    assert block is not None, "docs/webhooks.md lost its verification recipe"
    namespace: dict = {}
    exec(block.group(1), namespace)  # noqa: S102  # our own documentation, run as a test
    return namespace["verify_cityhall_signature"]


@pytest.fixture
def delivery_to(webhook_receiver):
    def make(**subscription_fields):
        fields = {"target_url": webhook_receiver.url} | subscription_fields
        subscription = WebhookSubscriptionFactory(**fields)
        return WebhookDeliveryFactory(subscription=subscription)

    return make


def test_a_signed_delivery_is_verified_by_the_receiver_and_logged_as_delivered(
    webhook_receiver, delivery_to
):
    delivery = delivery_to()

    deliver_webhook.enqueue(delivery.id)

    (received,) = webhook_receiver.received
    verify = documented_verifier()
    assert verify(SECRET, received.body, received.headers["CityHall-Signature"])
    assert not verify("whsec_someone-else", received.body, received.headers["CityHall-Signature"])
    assert not verify(SECRET, received.body + b" ", received.headers["CityHall-Signature"])
    assert received.headers["CityHall-Event"] == "service_request.created"
    assert received.headers["CityHall-Delivery"] == str(delivery.public_id)
    assert json.loads(received.body) == {"id": str(delivery.public_id)}
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED
    assert delivery.delivered_at is not None
    (attempt,) = delivery.tries.all()
    assert attempt.status_code == 200
    assert attempt.response_bytes == len(b"answer 200")
    assert attempt.duration_ms >= 0


def test_a_server_error_is_logged_and_retried_later_with_backoff(webhook_receiver, delivery_to):
    webhook_receiver.answers = [500]
    delivery = delivery_to()
    before = timezone.now()

    deliver_webhook_now(delivery.id)

    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING
    assert delivery.last_status_code == 500
    first_wait = dt.timedelta(seconds=BACKOFF_BASE_SECONDS)
    assert before + first_wait <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + first_wait * (1 + JITTER_RATIO)
    assert delivery.tries.get().response_bytes == len(b"answer 500")
    assert deliver_webhook_now(delivery.id) is None  # not due yet

    deliver_webhook_now(delivery.id, now=delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED
    assert [attempt.status_code for attempt in delivery.tries.all()] == [500, 200]
    assert len(webhook_receiver.received) == 2
    headers = [post.headers["CityHall-Delivery"] for post in webhook_receiver.received]
    assert headers == [str(delivery.public_id)] * 2


def test_the_periodic_sweep_sends_deliveries_that_are_due_again(webhook_receiver, delivery_to):
    delivery = delivery_to()
    WebhookDelivery.objects.filter(id=delivery.id).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )

    assert retry_due_webhook_deliveries.enqueue().return_value == 1

    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED
    assert due_webhook_delivery_ids() == []


def test_the_sweep_leaves_new_deliveries_to_their_own_task_for_a_while(delivery_to):
    delivery = delivery_to()

    assert due_webhook_delivery_ids() == []
    later = timezone.now() + ENQUEUE_GRACE + dt.timedelta(seconds=1)
    assert due_webhook_delivery_ids(now=later) == [delivery.id]


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour_with_bounded_jitter():
    for attempts in range(1, 15):
        expected = min(BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), BACKOFF_MAX_SECONDS)

        delay = backoff_delay(attempts).total_seconds()

        assert expected <= delay <= expected * (1 + JITTER_RATIO)
    assert backoff_delay(7).total_seconds() < BACKOFF_MAX_SECONDS
    assert backoff_delay(8).total_seconds() >= BACKOFF_MAX_SECONDS


def test_an_unreachable_receiver_is_logged_without_a_status_code(delivery_to):
    delivery = delivery_to(target_url="http://127.0.0.1:9/closed")

    deliver_webhook_now(delivery.id)

    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING
    attempt = delivery.tries.get()
    assert attempt.status_code is None
    assert attempt.error


def test_failures_stop_being_retried_after_twenty_four_hours(webhook_receiver, delivery_to):
    webhook_receiver.answers = [503, 503]
    delivery = delivery_to()
    deliver_webhook_now(delivery.id)
    almost_a_day_later = delivery.created_at + RETRY_WINDOW - dt.timedelta(seconds=10)
    WebhookDelivery.objects.filter(id=delivery.id).update(next_attempt_at=almost_a_day_later)

    deliver_webhook_now(delivery.id, now=almost_a_day_later)

    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 503"
    assert delivery.tries.count() == 2
    assert due_webhook_delivery_ids(now=delivery.created_at + 2 * RETRY_WINDOW) == []


def test_gone_fails_the_delivery_and_disables_the_subscription(webhook_receiver, delivery_to):
    webhook_receiver.answers = [410]
    delivery = delivery_to()
    waiting = WebhookDeliveryFactory(subscription=delivery.subscription)

    deliver_webhook_now(delivery.id)

    delivery.refresh_from_db()
    subscription = delivery.subscription
    subscription.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert not subscription.is_active
    assert subscription.disabled_reason == WebhookSubscription.DisabledReason.GONE
    assert AuditEvent.objects.filter(
        action="integrations.subscription_disabled_by_receiver",
        target_id=str(subscription.public_id),
    ).exists()
    deliver_webhook_now(waiting.id)
    waiting.refresh_from_db()
    assert waiting.status == Status.FAILED
    assert len(webhook_receiver.received) == 1


def test_a_delivery_held_by_one_worker_is_not_sent_by_another(webhook_receiver, delivery_to):
    delivery = delivery_to()
    WebhookDelivery.objects.filter(id=delivery.id).update(
        status=Status.SENDING, next_attempt_at=timezone.now() + dt.timedelta(minutes=2)
    )

    assert deliver_webhook_now(delivery.id) is None

    assert webhook_receiver.received == []
    later = timezone.now() + dt.timedelta(minutes=3)
    assert deliver_webhook_now(delivery.id, now=later) is not None  # the claim ran out
    assert len(webhook_receiver.received) == 1


def test_a_redirect_is_not_followed(webhook_receiver, delivery_to):
    webhook_receiver.answers = [302]
    delivery = delivery_to()

    deliver_webhook_now(delivery.id)

    delivery.refresh_from_db()
    assert delivery.status == Status.PENDING
    assert delivery.last_status_code == 302
    assert len(webhook_receiver.received) == 1


@pytest.mark.parametrize("inside", ["127.0.0.1", "10.0.0.5", "169.254.169.254"])
def test_a_receiver_whose_name_resolves_inside_is_never_sent_to_and_fails_at_once(
    monkeypatch, inside
):
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, port, *a, **k: real_getaddrinfo(inside, port, *a, **k)
    )
    with running_webhook_receiver() as receiver, override_settings(OUTBOUND_ALLOW_LOOPBACK=False):
        port = receiver.url.split(":")[2].split("/")[0]
        subscription = WebhookSubscriptionFactory(target_url=f"https://hooks.example.org:{port}/")
        delivery = WebhookDeliveryFactory(subscription=subscription)

        deliver_webhook_now(delivery.id)

    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    attempt = delivery.tries.get()
    assert attempt.status_code is None
    assert attempt.response_bytes is None
    assert inside not in attempt.error
