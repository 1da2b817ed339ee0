"""Background jobs of the notifications domain; each takes ids and calls a service.

Periodic: `retry_due_deliveries` every minute; `send_digests("daily")` once a day and
`send_digests("weekly")` once a week (config/schedule.py).
"""

from __future__ import annotations

from django_tasks import task

from cityhall.notifications.delivery import deliver_many, deliver_with_followers, due_delivery_ids
from cityhall.notifications.digests import pending_digest_recipient_ids, send_digest

RETRY_BATCH_SIZE = 100


@task(queue_name="notifications")
def deliver_notification(delivery_id: int) -> int:
    """Send a delivery and the due ones of its channel queued after it, as one batch (see
    delivery.deliver_with_followers); returns how many were handled, 0 when it is gone, not
    due, or already sent along with an earlier one."""
    return len(deliver_with_followers(delivery_id))


@task(queue_name="notifications")
def deliver_notifications(delivery_ids: list[int]) -> int:
    """Send a batch of deliveries with a few queries in all; returns how many were handled."""
    return len(deliver_many(delivery_ids))


@task(queue_name="notifications")
def retry_due_deliveries() -> int:
    """Queue every delivery whose retry time, quiet hours or claim has run out; returns how many.

    They go out in batches of RETRY_BATCH_SIZE, one task each.
    """
    ids = due_delivery_ids()
    for start in range(0, len(ids), RETRY_BATCH_SIZE):
        deliver_notifications.enqueue(ids[start : start + RETRY_BATCH_SIZE])
    return len(ids)


@task(queue_name="notifications")
def send_digests(frequency: str) -> int:
    """Queue a summary email for each person on `frequency` (daily, weekly) with items waiting."""
    ids = pending_digest_recipient_ids(frequency=frequency)
    for user_id in ids:
        send_digest_to_recipient.enqueue(user_id)
    return len(ids)


@task(queue_name="notifications")
def send_digest_to_recipient(user_id: int) -> None:
    """Send one person's summary of waiting items; a failure leaves them for the next run."""
    send_digest(user_id=user_id)
