import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from cityhall.notifications.models import Delivery
from cityhall.notifications.tasks import deliver_notification, deliver_notifications
from cityhall.notifications.tests.factories import queued_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _queued(user, count):
    return [queued_email(user) for _index in range(count)]


def test_deliveries_over_the_channels_limit_wait_for_the_next_window(citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "notifications.email": "2/minute"}
    first, *_others = _queued(citizen, 3)

    deliver_notification.enqueue(first.id)

    assert len(mail.outbox) == 2
    held = Delivery.objects.get(status="queued")
    assert held.next_attempt_at is not None
    assert held.next_attempt_at > timezone.now()
    assert held.attempts == 0
    assert held.last_error == ""


def test_the_limit_is_shared_by_later_tasks_in_the_same_window(citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "notifications.email": "2/minute"}
    deliveries = _queued(citizen, 4)

    deliver_notifications.enqueue([deliveries[0].id, deliveries[1].id])
    deliver_notifications.enqueue([deliveries[2].id, deliveries[3].id])

    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status="queued").count() == 2


def test_a_limit_on_one_channel_leaves_the_others_alone(citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "notifications.sms": "1/minute"}
    first, *_others = _queued(citizen, 3)

    deliver_notification.enqueue(first.id)

    assert len(mail.outbox) == 3
