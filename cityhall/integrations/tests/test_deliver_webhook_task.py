"""The delivery task on the production backends: a real `db_worker --batch`, an RQ worker."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from cityhall.core.testing import require_or_skip, server_is_listening
from cityhall.integrations.models import WebhookDelivery
from cityhall.integrations.signing import is_valid_signature
from cityhall.integrations.tasks import deliver_webhook
from cityhall.integrations.tests.factories import (
    SECRET,
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
)

DATABASE_TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "email", "notifications"],
    }
}


def run_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_a_signed_event(database_tasks, webhook_receiver):
    subscription = WebhookSubscriptionFactory(target_url=webhook_receiver.url)
    delivery = WebhookDeliveryFactory(subscription=subscription)

    deliver_webhook.enqueue(delivery.id)
    assert webhook_receiver.received == []  # queued, not sent inline
    run_worker()

    (received,) = webhook_receiver.received
    assert is_valid_signature(
        secret=SECRET, body=received.body, header=received.headers["CityHall-Signature"]
    )
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_queued_again_for_its_retry_time(database_tasks, webhook_receiver):
    webhook_receiver.answers = [500]
    delivery = WebhookDeliveryFactory(
        subscription=WebhookSubscriptionFactory(target_url=webhook_receiver.url)
    )

    deliver_webhook.enqueue(delivery.id)
    run_worker()

    delivery.refresh_from_db()
    retry = DBTaskResult.objects.get(status="READY")
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert retry.args_kwargs["args"] == [delivery.id]
    assert retry.run_after == delivery.next_attempt_at
    assert len(webhook_receiver.received) == 1  # the worker did not run the retry early


RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.mark.redis
@pytest.mark.xdist_group("redis")
@pytest.mark.django_db(transaction=True)
def test_an_rq_worker_delivers_a_signed_event(settings, webhook_receiver):
    require_or_skip(
        server_is_listening("127.0.0.1", 6379), "Redis is not listening on 127.0.0.1:6379"
    )
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.TASKS = RQ_TASKS
    queue = django_rq.get_queue("default")
    queue.empty()
    delivery = WebhookDeliveryFactory(
        subscription=WebhookSubscriptionFactory(target_url=webhook_receiver.url)
    )

    deliver_webhook.enqueue(delivery.id)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    (received,) = webhook_receiver.received
    assert received.headers["CityHall-Delivery"] == str(delivery.public_id)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
