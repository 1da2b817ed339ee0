"""Background jobs of the notifications domain; each takes ids and calls a service.

Periodic: `retry_due_deliveries` every minute; `send_digests("daily")` once a day and
`send_digests("weekly")` once a week (config/schedule.py).
"""

from __future__ import annotations

from django_tasks import task

from cityhall.notifications.delivery import deliver, due_delivery_ids
from cityhall.notifications.digests import pending_digest_recipient_ids, send_digest


@task(queue_name="notifications")
def deliver_notification(delivery_id: int) -> None:
    """Send one delivery (see delivery.deliver); quietly does nothing if it is gone or not due."""
    deliver(delivery_id)


@task(queue_name="notifications")
def retry_due_deliveries() -> int:
    """Queue every delivery whose retry time, quiet hours or claim has run out; returns how many."""
    ids = due_delivery_ids()
    for delivery_id in ids:
        deliver_notification.enqueue(delivery_id)
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
