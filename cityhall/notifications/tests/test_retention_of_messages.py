"""Old delivery logs, then old notifications, go past their rules' months; nothing newer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.notifications.models import Delivery, DigestItem, Notification
from cityhall.notifications.retention import delete_old_deliveries, delete_old_notifications
from cityhall.notifications.tests.factories import inbox_notification, queued_email

pytestmark = pytest.mark.django_db


def _age(row, when: dt.datetime) -> None:
    type(row).objects.filter(pk=row.pk).update(created_at=when)


def test_finished_deliveries_older_than_the_cutoff_go_and_the_rest_stay(citizen):
    cutoff = timezone.now() - dt.timedelta(days=365)
    old_sent = queued_email(citizen)
    old_bounced = queued_email(citizen)
    old_queued = queued_email(citizen)
    recent_sent = queued_email(citizen)
    Delivery.objects.filter(pk__in=[old_sent.pk, recent_sent.pk]).update(status="sent")
    Delivery.objects.filter(pk=old_bounced.pk).update(status="bounced")
    for delivery in (old_sent, old_bounced, old_queued):
        _age(delivery, cutoff - dt.timedelta(seconds=1))

    assert delete_old_deliveries(cutoff, True) == 2
    assert Delivery.objects.count() == 4
    assert delete_old_deliveries(cutoff, False) == 2

    assert set(Delivery.objects.values_list("pk", flat=True)) == {old_queued.pk, recent_sent.pk}
    assert Notification.objects.count() == 4  # the messages themselves stay
    assert delete_old_deliveries(cutoff, False) == 0


def test_notifications_older_than_the_cutoff_go_with_their_deliveries_and_summary_items(
    citizen,
):
    cutoff = timezone.now() - dt.timedelta(days=730)
    old = queued_email(citizen).notification
    DigestItem.objects.create(notification=old, recipient=citizen)
    recent = inbox_notification(citizen, "Recent")
    _age(old, cutoff - dt.timedelta(seconds=1))

    assert delete_old_notifications(cutoff, True) == 1
    assert Notification.objects.count() == 2
    assert delete_old_notifications(cutoff, False) == 1

    assert list(Notification.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Delivery.objects.exists()
    assert not DigestItem.objects.exists()
