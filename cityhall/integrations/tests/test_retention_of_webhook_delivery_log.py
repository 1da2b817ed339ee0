"""The webhook delivery log keeps finished deliveries only for its rule's months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.integrations.models import WebhookAttempt, WebhookDelivery
from cityhall.integrations.retention import delete_finished_webhook_deliveries
from cityhall.integrations.tests.factories import WebhookDeliveryFactory

Status = WebhookDelivery.Status


@pytest.mark.django_db
def test_finished_deliveries_older_than_the_cutoff_go_with_their_attempts():
    cutoff = timezone.now() - dt.timedelta(days=30)
    old_delivered = WebhookDeliveryFactory(status=Status.DELIVERED)
    old_failed = WebhookDeliveryFactory(status=Status.FAILED)
    old_waiting = WebhookDeliveryFactory(status=Status.PENDING)
    recent = WebhookDeliveryFactory(status=Status.DELIVERED)
    WebhookAttempt.objects.create(delivery=old_delivered, status_code=200, duration_ms=5)
    WebhookDelivery.objects.filter(id__in=[old_delivered.id, old_failed.id, old_waiting.id]).update(
        created_at=cutoff - dt.timedelta(seconds=1)
    )

    assert delete_finished_webhook_deliveries(cutoff, True) == 2
    assert WebhookAttempt.objects.count() == 1
    assert delete_finished_webhook_deliveries(cutoff, False) == 2

    assert set(WebhookDelivery.objects.values_list("id", flat=True)) == {old_waiting.id, recent.id}
    assert not WebhookAttempt.objects.exists()
