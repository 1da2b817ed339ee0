"""Sending a published alert to everyone its area reaches, through notifications' bulk path.

`start_fan_out(alert_id)` (the publishing service calls it after commit) queues one task,
`fan_out_alert`, which resolves the area to subscribers (targeting.py) and queues one
`fan_out_batch` task per FAN_OUT_BATCH_SIZE of them. A batch turns its subscribers into
recipients (an account once, whatever number of its places the area holds; a contact without
account once per address, by its keyed digest) and records their notifications and
deliveries in one transaction (notifications.bulk.record_bulk), which queues their sends: web
push, SMS and in-app first, email after. A batch run twice sends nothing twice, so a fan-out
may be started again safely (a worker lost, a task retried). Alerts are urgent: quiet hours
and digests never hold them. Exercise and Test alerts reach test recipients only.

`fan_out_figures(alert)` gives the live figures per channel (queued, sent, failed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django_tasks import task

from cityhall.alerts.links import web_link
from cityhall.alerts.models import Alert, AlertSubscriber
from cityhall.alerts.subscription_links import stop_url
from cityhall.alerts.targeting import reaches_only_test_recipients, recipients_in
from cityhall.notifications.bulk import (
    BulkEvent,
    BulkRecipient,
    BulkText,
    account_recipients,
    event_figures,
    record_bulk,
    with_priority,
)
from cityhall.notifications.models import ChannelKind, Topic, Urgency

#: Subscribers per batch task: one transaction of a few multi-row INSERTs.
FAN_OUT_BATCH_SIZE = 1000
#: Batches run after the fast channels' sends and before email sends (see bulk.queue_sends).
BATCH_PRIORITY = 50
#: How long the alert page's figures may be old, so that a rush of readers costs one count.
FIGURES_SECONDS = 2
TEMPLATE_CODE = "emergency-alert"


def event_key(alert: Alert) -> str:
    """The bulk event of an alert's fan-out."""
    return f"alert:{alert.public_id.hex}"


def alert_event(alert: Alert) -> BulkEvent:
    """What the alert says, in each of its languages: headline; short text and link."""
    texts = {}
    for text in alert.texts.all():
        link = web_link(alert, text.language)
        texts[text.language] = BulkText(subject=text.headline, body=f"{text.short_text}\n{link}")
    return BulkEvent(
        key=event_key(alert),
        topic=Topic.ALERTS,
        template_code=TEMPLATE_CODE,
        urgency=Urgency.EMERGENCY,
        texts=texts,
        link=web_link(alert, settings.LANGUAGE_CODE),
    )


def start_fan_out(alert_id: int) -> None:
    """Queue the fan-out of a published alert (call after commit)."""
    fan_out_alert.enqueue(alert_id)


def subscriber_ids_for(alert: Alert) -> list[int]:
    """The subscribers the alert's area reaches (test recipients only for Exercise and Test)."""
    return recipients_in(
        alert.area_geometry(), tests_only=reaches_only_test_recipients(alert.status)
    )


def queue_batches(alert_id: int, subscriber_ids: Sequence[int]) -> int:
    """Queue one `fan_out_batch` task per FAN_OUT_BATCH_SIZE subscribers; returns how many."""
    batch = with_priority(fan_out_batch, BATCH_PRIORITY)
    count = 0
    for start in range(0, len(subscriber_ids), FAN_OUT_BATCH_SIZE):
        batch.enqueue(alert_id, list(subscriber_ids[start : start + FAN_OUT_BATCH_SIZE]))
        count += 1
    return count


@task(queue_name="notifications")
def fan_out_alert(alert_id: int) -> int:
    """Resolve a published alert's recipients and queue their batches; returns how many
    subscribers were found (0 for an alert that is gone or not published)."""
    alert = Alert.objects.filter(id=alert_id, state=Alert.State.PUBLISHED).first()
    if alert is None:
        return 0
    ids = subscriber_ids_for(alert)
    queue_batches(alert_id, ids)
    return len(ids)


@task(queue_name="notifications")
def fan_out_batch(alert_id: int, subscriber_ids: list[int]) -> int:
    """Record and queue the messages of one batch of subscribers; returns how many
    deliveries it added (0 when the batch had been recorded before)."""
    alert = Alert.objects.prefetch_related("texts").filter(id=alert_id).first()
    if alert is None:
        return 0
    return record_bulk(alert_event(alert), batch_recipients(subscriber_ids)).count


def batch_recipients(subscriber_ids: Iterable[int]) -> list[BulkRecipient]:
    """The people behind these subscribers: each account once, each contact once."""
    user_ids: set[int] = set()
    recipients: list[BulkRecipient] = []
    rows = AlertSubscriber.objects.filter(id__in=list(subscriber_ids)).values_list(
        "user_id",
        "public_id",
        "language",
        "channel",
        "email",
        "email_digest",
        "phone_number",
        "phone_number_digest",
    )
    for user_id, public_id, language, channel, email, email_digest, phone, phone_digest in rows:
        if user_id is not None:
            user_ids.add(user_id)
            continue
        by_email = channel == AlertSubscriber.Channel.EMAIL
        digest = (email_digest if by_email else phone_digest).rpartition(":")[2]
        recipients.append(
            BulkRecipient(
                key=f"c{digest[:32]}",
                language=language,
                channels=((ChannelKind.EMAIL, email.lower()),)
                if by_email
                else ((ChannelKind.SMS, phone),),
                unsubscribe_url=stop_url(public_id, language) if by_email else "",
            )
        )
    recipients += account_recipients(user_ids, topic=Topic.ALERTS, urgency=Urgency.EMERGENCY)
    return recipients


def fan_out_figures(alert: Alert) -> dict[str, dict[str, int]]:
    """Per channel, the alert's deliveries queued, sent and failed (at most a few seconds old).

    `{"email": {"queued": 10, "sent": 990, "failed": 0}, "sms": {…}}`; {} before any.
    """
    key = f"alerts:fan-out-figures:{alert.public_id.hex}"
    figures: dict[str, dict[str, int]] | None = cache.get(key)
    if figures is None:
        figures = event_figures(event_key(alert))
        cache.set(key, figures, FIGURES_SECONDS)
    return figures
