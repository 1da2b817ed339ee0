import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.notifications.delivery import claim_delivery_and_followers, deliver_with_followers
from cityhall.notifications.models import Delivery, Notification
from cityhall.notifications.tasks import deliver_notification

pytestmark = pytest.mark.django_db


def _queued(user, channel="email", **fields):
    """A delivery recorded as `notify` records it, without running its task."""
    notification = Notification.objects.create(
        recipient=user,
        topic="my_requests",
        template_code="x",
        event_key=f"event-{Notification.objects.count()}",
        language="en",
        subject="Subject",
        body="Body",
    )
    return Delivery.objects.create(
        notification=notification,
        channel=channel,
        address=user.email if channel == "email" else str(user.public_id),
        subject="Subject",
        body="Body",
        **fields,
    )


def _ids(deliveries):
    return [delivery.id for delivery in deliveries]


def test_a_delivery_task_also_sends_the_due_ones_of_its_channel_queued_after_it(citizen):
    first = _queued(citizen)
    _queued(citizen), _queued(citizen)

    handled = deliver_notification.enqueue(first.id).return_value

    assert handled == 3
    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_task_of_a_delivery_sent_along_with_an_earlier_one_sends_nothing(citizen):
    first, second = _queued(citizen), _queued(citizen)
    deliver_notification.enqueue(first.id)

    handled = deliver_notification.enqueue(second.id).return_value

    assert handled == 0
    assert len(mail.outbox) == 2


def test_followers_are_of_the_same_channel_due_and_after_the_delivery(citizen):
    earlier = _queued(citizen)
    delivery = _queued(citizen)
    other_channel = _queued(citizen, channel="in_app")
    in_quiet_hours = _queued(citizen, next_attempt_at=timezone.now() + dt.timedelta(hours=2))
    follower = _queued(citizen)

    claimed = claim_delivery_and_followers(delivery.id)

    assert _ids(claimed) == [delivery.id, follower.id]
    statuses = dict(Delivery.objects.values_list("id", "status"))
    assert statuses[earlier.id] == statuses[other_channel.id] == "queued"
    assert statuses[in_quiet_hours.id] == "queued"


def test_a_claim_takes_at_most_its_limit(citizen):
    deliveries = [_queued(citizen) for _ in range(5)]

    claimed = claim_delivery_and_followers(deliveries[0].id, limit=3)

    assert _ids(claimed) == _ids(deliveries[:3])


def test_two_claims_never_share_a_delivery(citizen):
    deliveries = [_queued(citizen) for _ in range(4)]
    claim_delivery_and_followers(deliveries[2].id, limit=10)

    first = claim_delivery_and_followers(deliveries[0].id, limit=10)

    assert _ids(first) == _ids(deliveries[:2])


def test_nothing_is_claimed_when_the_delivery_itself_is_not_due(citizen):
    held = _queued(citizen, next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    _queued(citizen)

    assert claim_delivery_and_followers(held.id) == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"queued"}


def test_an_unknown_delivery_sends_nothing():
    assert deliver_with_followers(123456) == []


def test_each_email_of_a_batch_keeps_its_own_message_id(citizen):
    first = _queued(citizen)
    _queued(citizen), _queued(citizen)

    deliver_notification.enqueue(first.id)

    sent_ids = sorted(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert sorted(Delivery.objects.values_list("provider_message_id", flat=True)) == sent_ids
    assert len(set(sent_ids)) == 3
