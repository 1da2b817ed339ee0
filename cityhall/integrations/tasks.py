"""Background jobs of the integrations domain; each takes ids and calls delivery code.

Periodic (config/schedule.py): `retry_due_webhook_deliveries` every minute, which also picks up
deliveries whose worker died mid-send. The delivery log is kept as long as its retention rule
says (integrations/retention.py).
"""

from __future__ import annotations

from django_tasks import task

from cityhall.integrations.delivery import deliver_webhook_now, due_webhook_delivery_ids
from cityhall.integrations.models import WebhookDelivery


@task(queue_name="default")
def deliver_webhook(delivery_id: int) -> str | None:
    """Send one webhook delivery; returns its status, or None when it was not due or is gone.

    When it must be retried and the backend can defer jobs, the retry is queued for its time;
    otherwise `retry_due_webhook_deliveries` finds it when it is due.
    """
    delivery = deliver_webhook_now(delivery_id)
    if delivery is None:
        return None
    retry_at = delivery.next_attempt_at
    is_waiting = delivery.status == WebhookDelivery.Status.PENDING and retry_at is not None
    if is_waiting and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=retry_at).enqueue(delivery.id)
    return str(delivery.status)


@task(queue_name="default")
def retry_due_webhook_deliveries() -> int:
    """Queue every webhook delivery that is due again; returns how many."""
    ids = due_webhook_delivery_ids()
    for delivery_id in ids:
        deliver_webhook.enqueue(delivery_id)
    return len(ids)
