import json

import pytest

from cityhall.integrations.models import WebhookEvent, WebhookSubscription
from cityhall.integrations.signing import is_valid_signature
from cityhall.integrations.tests.factories import SECRET, WebhookSubscriptionFactory
from cityhall.integrations.tests.receiver import running_webhook_receiver
from cityhall.notifications.models import ChannelKind, Delivery, Preference
from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    with running_webhook_receiver() as running:
        yield running


@pytest.fixture
def member(partner):
    """A partner member who asked for their request news on the webhook channel."""
    Preference.objects.create(user=partner, topic="my_requests", channel=ChannelKind.WEBHOOK)
    TemplateFactory()
    return partner


def subscribe(member, receiver, events=(WebhookEvent.NOTIFICATION_SENT,)):
    organisation = member.partner_memberships.get().organisation
    return WebhookSubscriptionFactory(
        partner=organisation, target_url=receiver.url, events=list(events)
    )


def tell(notify_now, member):
    notify_now(
        recipient=member,
        topic="my_requests",
        template="request-closed",
        context={"name": "Pat", "number": "RAS-26-000001"},
        event_key="request-closed:1",
    )
    return Delivery.objects.get(channel=ChannelKind.WEBHOOK)


def test_the_notification_is_posted_signed_to_the_partners_receiver(notify_now, member, receiver):
    subscribe(member, receiver)

    delivery = tell(notify_now, member)

    (received,) = receiver.received
    body = json.loads(received.body)
    assert is_valid_signature(
        secret=SECRET, body=received.body, header=received.headers["CityHall-Signature"]
    )
    assert received.headers["CityHall-Event"] == "notification.sent"
    assert received.headers["CityHall-Delivery"] == str(delivery.public_id)
    assert body["data"]["notification"]["subject"] == "Your request RAS-26-000001 is closed"
    assert member.email not in received.body.decode()
    assert delivery.status == Delivery.Status.SENT


def test_without_a_notification_subscription_no_webhook_delivery_is_made(
    notify_now, member, receiver
):
    subscribe(member, receiver, events=[WebhookEvent.SERVICE_REQUEST_CREATED])

    with pytest.raises(Delivery.DoesNotExist):
        tell(notify_now, member)
    assert receiver.received == []


def test_a_server_error_is_retried(notify_now, member, receiver):
    subscribe(member, receiver)
    receiver.answers = [503]

    delivery = tell(notify_now, member)

    assert delivery.status == Delivery.Status.QUEUED
    assert delivery.next_attempt_at is not None


def test_gone_disables_the_subscription_and_is_permanent(notify_now, member, receiver):
    subscription = subscribe(member, receiver)
    receiver.answers = [410]

    delivery = tell(notify_now, member)

    subscription.refresh_from_db()
    assert (delivery.status, delivery.is_permanent_failure) == (Delivery.Status.FAILED, True)
    assert subscription.disabled_reason == WebhookSubscription.DisabledReason.GONE
