"""Telling one event to many people at once: set-based inserts, one task per batch of sends.

`notify` records one person's notification in a few queries and queues one task per delivery,
which is right for a request closed or an appointment booked, and far too slow to warn a city.
A bulk event (an emergency alert) goes through here instead, batch by batch:

- `account_recipients` reads, for a batch of accounts, everything `notify` would look up one
  person at a time (language, email, phone, browsers, preferences) in one query per kind;
- `record_bulk` writes the batch's notifications and deliveries in a few multi-row INSERTs, in
  one transaction. Each notification's `event_key` is the event's key plus the recipient's, and
  each delivery is unique per notification and channel, so a batch run twice (a retried task,
  two workers) adds nothing the second time: `INSERT … ON CONFLICT DO NOTHING` returns only the
  new rows, and only those get sent;
- `queue_sends` queues one `deliver_notifications` task per SEND_BATCH_SIZE deliveries after
  commit: web push, SMS and in-app first, email after. On the database queue the fast ones
  have the highest task priority, so that they are never held behind email; RQ has no
  priorities, and there each batch's fast sends are queued ahead of its emails.
A bulk event is urgent when its urgency is EMERGENCY: nothing waits for quiet hours and nothing
goes into a digest. Recipients without an account (an email or phone given to subscribe) get a
notification without a recipient, with the unsubscribe link the caller gives.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks.base import TASK_MAX_PRIORITY, Task

from cityhall.accounts.models import User
from cityhall.core.errors import InvalidInput
from cityhall.notifications.models import (
    ChannelKind,
    Delivery,
    DigestFrequency,
    Notification,
    Preference,
    PushSubscription,
    RecipientSettings,
    Urgency,
)
from cityhall.notifications.purposes import TOPIC_PURPOSES
from cityhall.notifications.services import TOPIC_DEFAULTS, quiet_hours_end, site_path
from cityhall.privacy.consents import users_with_consent

#: Deliveries per send task: a claim of this many costs a few queries (see delivery.py).
SEND_BATCH_SIZE = 200
#: Rows per INSERT statement: well within every backend's limit on parameters.
ROWS_PER_INSERT = 500
#: Rows per INSERT on PostgreSQL, where a statement has one parameter per column.
POSTGRES_ROWS_PER_INSERT = 10_000
#: Channels sent before email, in this order.
FAST_CHANNELS: tuple[str, ...] = (ChannelKind.WEB_PUSH, ChannelKind.SMS, ChannelKind.IN_APP)
#: The channels a bulk event sends on; webhooks stay with `notify`.
BULK_CHANNELS = frozenset({*FAST_CHANNELS, ChannelKind.EMAIL})


@dataclass(frozen=True)
class BulkText:
    """What the event says in one language: the subject (email, push title) and the body."""

    subject: str
    body: str


@dataclass(frozen=True)
class BulkEvent:
    """One event told to many: `key` (e.g. "alert:<uuid>:1") names it, ≤ 80 characters."""

    key: str
    topic: str
    template_code: str
    urgency: str
    texts: Mapping[str, BulkText]
    link: str = ""

    def text_in(self, language: str) -> tuple[str, BulkText]:
        """The language used and its text: `language`, else the site's default language."""
        for candidate in (language, settings.LANGUAGE_CODE):
            if candidate in self.texts:
                return candidate, self.texts[candidate]
        return next(iter(self.texts.items()))


@dataclass(frozen=True)
class BulkRecipient:
    """One person: `key` is unique among the event's recipients ("u12", "s345").

    `channels` are (channel, address) pairs. `user_id` None: someone without an account, whose
    emails carry `unsubscribe_url`.
    """

    key: str
    language: str
    channels: tuple[tuple[str, str], ...]
    user_id: int | None = None
    unsubscribe_url: str = ""
    #: When this person's quiet hours end if they are on now (normal urgency only).
    held_until: Any = None


@dataclass
class RecordedBatch:
    """The deliveries a batch added, by channel (none when it had been recorded before)."""

    delivery_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(ids) for ids in self.delivery_ids.values())


def _check_event(event: BulkEvent) -> None:
    if event.topic not in TOPIC_DEFAULTS or event.urgency not in Urgency.values:
        raise InvalidInput(f"Unknown topic or urgency: {event.topic!r}, {event.urgency!r}")
    if not event.texts or len(event.key) > 80:
        raise InvalidInput("A bulk event needs a text and a key of at most 80 characters.")


def _wanted_by_user(user_ids: list[int], topic: str) -> dict[int, set[str]]:
    wanted = {user_id: set(TOPIC_DEFAULTS[topic]) for user_id in user_ids}
    choices = Preference.objects.filter(user_id__in=user_ids, topic=topic).values_list(
        "user_id", "channel", "is_enabled"
    )
    for user_id, channel, is_enabled in choices:
        (wanted[user_id].add if is_enabled else wanted[user_id].discard)(channel)
    return wanted


def account_recipients(
    user_ids: Iterable[int], *, topic: str, urgency: str, key_prefix: str = "u"
) -> list[BulkRecipient]:
    """The accounts among `user_ids` that may be told about `topic`, with their channels.

    The same rules as `notify` (preferences over the topic's defaults, a phone for texts, a
    browser for web push, consent where the topic needs it), in one query per kind of data.
    Emails to digest readers go into no digest when `urgency` is EMERGENCY; otherwise such a
    reader gets no email here (digests are `notify`'s). Suppressed addresses are left to the
    sending claim, which fails them at once.
    """
    ids = sorted(users_with_consent(TOPIC_PURPOSES[topic], set(user_ids)))
    wanted = _wanted_by_user(ids, topic)
    settings_by_user = {
        found.user_id: found for found in RecipientSettings.objects.filter(user_id__in=ids)
    }
    with_browser = set(
        PushSubscription.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
    )
    now = timezone.now()
    no_settings = RecipientSettings()
    recipients = []
    users = User.objects.filter(id__in=ids, is_active=True).values_list(
        "id", "email", "preferred_language", "public_id"
    )
    for user_id, email, language, public_id in users:
        found = settings_by_user.get(user_id) or no_settings
        addresses: dict[str, str] = {
            ChannelKind.EMAIL: email.lower(),
            ChannelKind.SMS: found.phone_number,
            ChannelKind.WEB_PUSH: str(public_id) if user_id in with_browser else "",
            ChannelKind.IN_APP: str(public_id),
        }
        if urgency != Urgency.EMERGENCY and found.digest_frequency != DigestFrequency.NONE:
            addresses[ChannelKind.EMAIL] = ""
        channels = tuple(
            (channel, addresses[channel])
            for channel in (*FAST_CHANNELS, ChannelKind.EMAIL)
            if channel in wanted[user_id] and addresses[channel]
        )
        recipients.append(
            BulkRecipient(
                key=f"{key_prefix}{user_id}",
                language=language or settings.LANGUAGE_CODE,
                channels=channels,
                user_id=user_id,
                held_until=None
                if urgency == Urgency.EMERGENCY
                else quiet_hours_end(user_settings=found, now=now),
            )
        )
    return recipients


def _rows(items: Sequence[Any], size: int = ROWS_PER_INSERT) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_returning(
    model: type[Notification] | type[Delivery],
    constants: Mapping[str, Any],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    returning: str,
) -> list[tuple[Any, ...]]:
    """INSERT rows of `columns` with the same `constants` and a new public id each, skipping
    those that break a unique constraint; returns the new rows' `returning`.

    On PostgreSQL each column travels as one array (`unnest`) and the server makes the ids, so
    a statement has one parameter per column whatever its rows: merging thousands of
    parameters into the SQL text costs the client more than the server spends inserting them.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(name) for name in ("public_id", *constants, *columns))
    is_postgres = connection.vendor == "postgresql"

    def typed(column: str) -> str:
        return str(model._meta.get_field(column).db_type(connection))

    fixed = [constants[name] for name in constants]
    if is_postgres:
        scalars = "".join(f"%s::{typed(name)}, " for name in constants)
        arrays = ", ".join(f"%s::{typed(name)}[]" for name in columns)
        # Only the model's column types are formatted in; every value is a parameter.
        source = f"SELECT gen_random_uuid(), {scalars}u.* FROM unnest({arrays}) AS u"  # noqa: S608  # nosec B608
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for chunk in _rows(rows, POSTGRES_ROWS_PER_INSERT if is_postgres else ROWS_PER_INSERT):
            if is_postgres:
                params: list[Any] = fixed + [list(values) for values in zip(*chunk, strict=True)]
            else:
                row = "(" + ", ".join(["%s"] * (1 + len(fixed) + len(columns))) + ")"
                source = "VALUES " + ", ".join([row] * len(chunk))
                params = [
                    value
                    for row_values in chunk
                    for value in (uuid.uuid4().hex, *fixed, *row_values)
                ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) {source} "
                f"ON CONFLICT DO NOTHING RETURNING {returning}",
                params,
            )
            found += cursor.fetchall()
    return found


def record_bulk(event: BulkEvent, recipients: Sequence[BulkRecipient]) -> RecordedBatch:
    """Record the notifications and deliveries of `recipients` in one transaction and queue
    their sends after commit (see the module docstring); recipients already told are skipped.
    """
    _check_event(event)
    chosen = [recipient for recipient in recipients if recipient.channels]
    if not chosen:
        return RecordedBatch()
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    by_key = {f"{event.key}:{recipient.key}": recipient for recipient in chosen}
    texts = {recipient.language: event.text_in(recipient.language) for recipient in chosen}
    notification_rows = []
    for key, recipient in by_key.items():
        language, text = texts[recipient.language]
        notification_rows.append(
            (recipient.user_id, key, language, text.subject, text.body, recipient.unsubscribe_url)
        )
    with transaction.atomic():
        created = _insert_returning(
            Notification,
            {
                "created_at": now,
                "updated_at": now,
                "topic": event.topic,
                "template_code": event.template_code,
                "urgency": event.urgency,
                "link": site_path(event.link),
                "attachments": "[]",
                "bulk_event": event.key,
            },
            ("recipient_id", "event_key", "language", "subject", "body", "unsubscribe_url"),
            notification_rows,
            "id, event_key",
        )
        delivery_rows = []
        for notification_id, key in created:
            recipient = by_key[key]
            text = texts[recipient.language][1]
            for channel, address in recipient.channels:
                if channel in BULK_CHANNELS:
                    held = None if channel == ChannelKind.IN_APP else recipient.held_until
                    delivery_rows.append(
                        (
                            notification_id,
                            channel,
                            address,
                            text.subject,
                            text.body,
                            held and adapt(held),
                        )
                    )
        added = _insert_returning(
            Delivery,
            {
                "created_at": now,
                "updated_at": now,
                "status": Delivery.Status.QUEUED.value,
                "attempts": 0,
                "last_error": "",
                "provider_message_id": "",
                "is_permanent_failure": False,
            },
            ("notification_id", "channel", "address", "subject", "body", "next_attempt_at"),
            delivery_rows,
            "id, channel, next_attempt_at",
        )
        recorded = RecordedBatch()
        for delivery_id, channel, next_attempt_at in added:
            if next_attempt_at is None:  # held ones go out with retry_due_deliveries
                recorded.delivery_ids.setdefault(channel, []).append(delivery_id)
        transaction.on_commit(partial(queue_sends, recorded.delivery_ids))
    return recorded


def with_priority(task: Task[Any, Any], priority: int) -> Task[Any, Any]:
    """`task` at `priority` where the backend orders tasks by priority (the database queue);
    as it is elsewhere (RQ, which refuses priorities and runs each queue in order)."""
    return task.using(priority=priority) if task.get_backend().supports_priority else task


def queue_sends(delivery_ids: Mapping[str, Sequence[int]]) -> int:
    """Queue one send task per SEND_BATCH_SIZE deliveries: the fast channels first, at the
    highest priority where the backend has priorities, email after at the default one.
    Returns how many tasks were queued."""
    # Imported here: tasks.py imports the delivery service, which imports this module's
    # neighbours; keeping the import late keeps bulk.py importable from models' code.
    from cityhall.notifications.tasks import deliver_notifications

    urgent = with_priority(deliver_notifications, TASK_MAX_PRIORITY)
    queued = 0
    for channel in (*FAST_CHANNELS, ChannelKind.EMAIL):
        task = deliver_notifications if channel == ChannelKind.EMAIL else urgent
        for chunk in _rows(list(delivery_ids.get(channel, ())), SEND_BATCH_SIZE):
            task.enqueue(list(chunk))
            queued += 1
    return queued


def event_figures(event_key: str) -> dict[str, dict[str, int]]:
    """Per channel, how many of the event's deliveries are queued, sent and failed.

    `queued` counts those waiting or being sent; `sent` those sent or delivered; `failed`
    those failed or bounced for good.
    """
    buckets = {
        Delivery.Status.QUEUED: "queued",
        Delivery.Status.SENDING: "queued",
        Delivery.Status.SENT: "sent",
        Delivery.Status.DELIVERED: "sent",
        Delivery.Status.FAILED: "failed",
        Delivery.Status.BOUNCED: "failed",
    }
    figures: dict[str, dict[str, int]] = {}
    table = connection.ops.quote_name(Delivery._meta.db_table)
    notifications = connection.ops.quote_name(Notification._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.channel, d.status, COUNT(*) FROM {table} d "  # noqa: S608 (model table names)  # nosec B608
            f"JOIN {notifications} n ON n.id = d.notification_id "
            "WHERE n.bulk_event = %s GROUP BY d.channel, d.status",
            [event_key],
        )
        for channel, status, count in cursor.fetchall():
            counts = figures.setdefault(channel, {"queued": 0, "sent": 0, "failed": 0})
            counts[buckets[status]] += count
    return figures
