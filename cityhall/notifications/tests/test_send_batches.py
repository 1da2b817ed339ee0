"""A batch is sent, then recorded in one transaction: what a worker dying in between leaves."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from cityhall.notifications.channels.email import EmailChannel
from cityhall.notifications.delivery import CLAIM_SECONDS, deliver_many, due_delivery_ids
from cityhall.notifications.models import Delivery
from cityhall.notifications.tests.factories import queued_email

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Stands for the process ending: nothing after it runs, no `except Exception` catches it."""


class DyingAfterSendingChannel(EmailChannel):
    """Sends the batch, then the worker dies before recording it."""

    def send_many(self, deliveries):
        super().send_many(deliveries)
        raise WorkerDied


def _queued(user, count):
    return [queued_email(user, subject=f"Subject {index}").id for index in range(count)]


def _message_ids():
    return sorted(message.extra_headers["Message-ID"] for message in mail.outbox)


def test_a_batch_sent_but_not_recorded_stays_claimed_until_its_claim_expires(citizen):
    ids = _queued(citizen, 3)

    with pytest.raises(WorkerDied):
        deliver_many(ids, channels={"email": DyingAfterSendingChannel()})

    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sending"}
    assert deliver_many(ids) == []  # another worker finds them held
    assert due_delivery_ids() == []


def test_after_the_claim_expires_the_batch_goes_again_with_the_same_message_ids(citizen):
    ids = _queued(citizen, 3)
    with pytest.raises(WorkerDied):
        deliver_many(ids, channels={"email": DyingAfterSendingChannel()})
    first_copies = _message_ids()

    with freeze_time(timezone.now() + dt.timedelta(seconds=CLAIM_SECONDS + 1)):
        due = due_delivery_ids()
        deliver_many(due)

    assert sorted(due) == sorted(ids)
    assert len(mail.outbox) == 6
    assert _message_ids() == sorted(first_copies * 2)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert sorted(Delivery.objects.values_list("provider_message_id", flat=True)) == first_copies


def test_a_delivery_recorded_as_sent_is_never_sent_again(citizen):
    ids = _queued(citizen, 3)
    deliver_many(ids)

    with freeze_time(timezone.now() + dt.timedelta(days=1)):
        assert due_delivery_ids() == []
        assert deliver_many(ids) == []

    assert len(mail.outbox) == 3


def test_a_batch_is_recorded_with_a_few_queries_whatever_its_size(
    citizen, django_assert_max_num_queries
):
    ids = _queued(citizen, 50)

    with django_assert_max_num_queries(8):
        handled = deliver_many(ids)

    assert len(handled) == 50
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_sender_address_that_cannot_be_used_fails_the_batch_for_now(citizen, settings):
    settings.DEFAULT_FROM_EMAIL = "CityHall <no reply@cityhall.example>"
    ids = _queued(citizen, 2)

    deliver_many(ids)

    assert mail.outbox == []
    failed = Delivery.objects.filter(id__in=ids)
    assert {(delivery.status, delivery.is_permanent_failure) for delivery in failed} == {
        ("queued", False)
    }
    assert all("DEFAULT_FROM_EMAIL" in delivery.last_error for delivery in failed)
