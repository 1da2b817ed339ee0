"""Sending deliveries: claim them, send each through its channel, record what happened.

A claim is a conditional UPDATE, so two workers that pick up the same delivery never both send
it; a batch is claimed in one UPDATE and loaded by its claim token. A delivery's task takes along
the due deliveries of its channel queued after it (`deliver_with_followers`), so a fan-out costs
a few queries per hundred messages. A claimed batch goes to each channel's `send_many` (email
pipelines it over one kept connection) and its outcomes are recorded in one transaction (see
`_send_claimed` for what a worker dying in between leaves). A claim lasts CLAIM_SECONDS; a
worker that dies mid-send leaves the delivery to `retry_due_deliveries` once the claim expires.
Temporary failures back off exponentially up to MAX_ATTEMPTS; permanent ones stop at once; a
rejected address is suppressed; a delivery over its channel's rate limit waits for the next
window.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping, Sequence

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone

from cityhall.core.errors import DeliveryFailed, RateLimited
from cityhall.core.ratelimit import count_hit, rate_for
from cityhall.notifications.channels import worker_channel
from cityhall.notifications.channels.base import Channel
from cityhall.notifications.errors import RecipientRejected
from cityhall.notifications.models import ChannelKind, Delivery, Suppression

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600
CLAIM_SECONDS = 600
#: Per-channel sending limits are `settings.RATE_LIMITS` buckets named this plus the channel
#: ("notifications.sms": "1/second"), shared by every worker through the cache; a delivery over
#: the limit goes back to the queue until the window ends, and that is not a failed attempt.
RATE_LIMIT_BUCKET_PREFIX = "notifications."
#: How many deliveries one delivery task sends at most: its own and those queued after it.
FOLLOWERS_PER_CLAIM = 100


def backoff_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4, 8… minutes, at most 6 h."""
    seconds = BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def _due(now: dt.datetime) -> Q:
    waiting = Q(status=Delivery.Status.QUEUED) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(status=Delivery.Status.SENDING, next_attempt_at__lte=now)
    return waiting | abandoned


def _claimable(now: dt.datetime) -> Q:
    """`_due`, written so that the claim's UPDATE finds its rows by primary key.

    Without table statistics SQLite would walk every queued row through the status index to
    find a hundred ids, which makes each claim cost as much as the whole backlog; COALESCE on
    the (never null) status column keeps that index out of the plan.
    """
    status = Coalesce(F("status"), Value(""))
    waiting = Q(Exact(status, Delivery.Status.QUEUED)) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    abandoned = Q(Exact(status, Delivery.Status.SENDING)) & Q(next_attempt_at__lte=now)
    return waiting | abandoned


def _claim(due: QuerySet[Delivery], *, token: uuid.UUID, now: dt.datetime) -> int:
    return due.update(
        status=Delivery.Status.SENDING,
        claim_token=token,
        next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )


def _load_claimed(token: uuid.UUID) -> list[Delivery]:
    # Addresses are stored lower-cased on both sides; the check rides on the same query.
    suppression = Suppression.objects.filter(
        channel=OuterRef("channel"), address=OuterRef("address")
    )
    return list(
        Delivery.objects.filter(claim_token=token)
        .select_related("notification__recipient")
        .annotate(is_suppressed=Exists(suppression))
        .order_by("id")
    )


def claim_deliveries(
    delivery_ids: Sequence[int], *, now: dt.datetime | None = None
) -> list[Delivery]:
    """Take the due, unclaimed ones among `delivery_ids` for this worker, in one UPDATE.

    Returns them with their notification and recipient loaded, ordered by id, each with
    `is_suppressed` telling whether its address is suppressed. A delivery another worker holds,
    or that is not due yet, is left out.
    """
    now = now or timezone.now()
    token = uuid.uuid4()
    claimable = Delivery.objects.filter(_claimable(now), id__in=delivery_ids)
    if not _claim(claimable, token=token, now=now):
        return []
    return _load_claimed(token)


def _may_be_claimable(delivery_id: int, now: dt.datetime) -> bool:
    """False when the delivery is gone, past sending, not due, or held by a live claim: a first
    look in plain SQL, because most delivery tasks of a fan-out find their delivery sent or
    being sent along with an earlier one, and building the ORM's UPDATE (and, on SQLite, taking
    the write lock) costs several times more than running one indexed read."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    stored_now = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE id = %s AND ("  # noqa: S608 (a model's table name)  # nosec B608
            "status = %s AND (next_attempt_at IS NULL OR next_attempt_at <= %s)"
            " OR status = %s AND next_attempt_at <= %s)",
            [
                delivery_id,
                Delivery.Status.QUEUED.value,
                stored_now,
                Delivery.Status.SENDING.value,
                stored_now,
            ],
        )
        return cursor.fetchone() is not None


def claim_delivery_and_followers(
    delivery_id: int, *, limit: int = FOLLOWERS_PER_CLAIM, now: dt.datetime | None = None
) -> list[Delivery]:
    """Take `delivery_id` if it is due, and with it up to `limit` - 1 due deliveries of the same
    channel queued after it; returns them as `claim_deliveries` does, or [] if it was not due.

    This is what lets one task per delivery, as `notify` queues them, cost a few queries per
    batch rather than per message: the followers' own tasks find them taken and return at once.
    """
    now = now or timezone.now()
    if not _may_be_claimable(delivery_id, now):
        return []
    token = uuid.uuid4()
    # One transaction: another worker's claim cannot take followers between the two UPDATEs,
    # which would split both batches, and SQLite takes its write lock once.
    with transaction.atomic():
        is_claimed = _claim_with_followers(delivery_id, limit=limit, token=token, now=now)
    return _load_claimed(token) if is_claimed else []


def _claim_with_followers(
    delivery_id: int, *, limit: int, token: uuid.UUID, now: dt.datetime
) -> bool:
    claimable = Delivery.objects.filter(_claimable(now), id=delivery_id)
    if not _claim(claimable, token=token, now=now):
        return False
    if limit > 1:
        # Only fresh or retry-due followers (not abandoned claims: retry_due_deliveries takes
        # those), so that the delivery_followers index yields them in id order from here on.
        channel = Delivery.objects.filter(id=delivery_id).values("channel")[:1]
        followers = (
            Delivery.objects.filter(
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                status=Delivery.Status.QUEUED,
                channel=Subquery(channel),
                id__gt=delivery_id,
            )
            .order_by("id")
            .values("id")[: limit - 1]
        )
        # Checked again in the UPDATE: another worker may have taken some in the meantime.
        _claim(Delivery.objects.filter(_claimable(now), id__in=followers), token=token, now=now)
    return True


def claim_delivery(delivery_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take one delivery for this worker if it is due; False if not due or already taken."""
    return bool(claim_deliveries([delivery_id], now=now))


def deliver(delivery_id: int, *, channel: Channel | None = None) -> Delivery | None:
    """Send one delivery now if it is due and unclaimed; returns it as recorded, or None.

    `channel` replaces this process's instance of the delivery's channel (benchmarks, tests).
    Never raises DeliveryFailed: failures are recorded on the row.
    """
    channels = {str(channel.kind): channel} if channel is not None else None
    done = deliver_many([delivery_id], channels=channels)
    return done[0] if done else None


def deliver_many(
    delivery_ids: Sequence[int], *, channels: Mapping[str, Channel] | None = None
) -> list[Delivery]:
    """Claim and send the due ones among `delivery_ids`; returns those it handled, as recorded.

    A batch costs a few queries in all rather than a few per message, which is what lets one
    worker keep up with a large fan-out. `channels` replaces this process's channel instances.
    """
    return _send_claimed(claim_deliveries(delivery_ids), channels=channels)


def deliver_with_followers(
    delivery_id: int,
    *,
    limit: int = FOLLOWERS_PER_CLAIM,
    channels: Mapping[str, Channel] | None = None,
) -> list[Delivery]:
    """Send `delivery_id` and the due deliveries of its channel queued after it, up to `limit`
    in all (see `claim_delivery_and_followers`); returns those it handled, as recorded.

    Nothing is sent, and [] returned, when `delivery_id` is gone, not due, or already taken.
    """
    claimed = claim_delivery_and_followers(delivery_id, limit=limit)
    return _send_claimed(claimed, channels=channels)


def _send_claimed(
    claimed: list[Delivery], *, channels: Mapping[str, Channel] | None
) -> list[Delivery]:
    """Send a claimed batch, each channel's share in one `send_many`, then record every
    outcome in one transaction.

    Crash safety. Until that transaction commits, the whole batch stays `sending` under a
    claim that expires CLAIM_SECONDS after it was taken; then `retry_due_deliveries` takes it
    again. So:
    - a delivery recorded as sent (or failed for good) is never sent again, since only queued
      deliveries and expired claims are claimable;
    - a worker that dies between the server's acceptance and the commit leaves its batch (at
      most FOLLOWERS_PER_CLAIM emails) to be sent once more after the claim expires: at least
      once, never lost. The copy has the same Message-ID (see EmailWriter.content), so mail
      programs that know the first show one;
    - a worker that dies before sending leaves the batch to the same retry, with one attempt
      counted, as a failed attempt would.
    Recording per message instead would shrink that window to one message but cost a commit
    per message, which is what kept a worker below a few hundred emails per second.
    """
    if not claimed:
        return claimed  # no write transaction: on SQLite it would take the database's lock
    failures: list[tuple[Delivery, DeliveryFailed]] = []
    put_back: list[tuple[Delivery, int]] = []
    sent: list[Delivery] = []
    for kind, deliveries in _by_channel(claimed, failures).items():
        channel = (channels or {}).get(kind) or worker_channel(kind)
        if channel is None:
            failed = DeliveryFailed("No channel sends this kind", permanent=True)
            failures += [(delivery, failed) for delivery in deliveries]
            continue
        allowed = _within_rate_limit(kind, deliveries, put_back)
        for delivery, failure in zip(allowed, channel.send_many(allowed), strict=True):
            if failure is None:
                sent.append(delivery)
            else:
                failures.append((delivery, failure))
    with transaction.atomic():
        _record_successes(sent)
        for delivery, error in failures:
            _record_failure(delivery, error)
        for delivery, seconds in put_back:
            _put_back(delivery, seconds=seconds)
    return claimed


def _by_channel(
    claimed: list[Delivery], failures: list[tuple[Delivery, DeliveryFailed]]
) -> dict[str, list[Delivery]]:
    """The claimed deliveries to send, by channel; a suppressed address fails at once."""
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in claimed:
        # `is_suppressed` is the annotation claim_deliveries adds; the model has no such field.
        if getattr(delivery, "is_suppressed", False) and delivery.channel != ChannelKind.IN_APP:
            failed = DeliveryFailed("The address is suppressed", permanent=True)
            failures.append((delivery, failed))
        else:
            by_channel.setdefault(delivery.channel, []).append(delivery)
    return by_channel


def _within_rate_limit(
    kind: str, deliveries: list[Delivery], put_back: list[tuple[Delivery, int]]
) -> list[Delivery]:
    """The deliveries the channel's limit lets go now; the others wait for the next window."""
    bucket = f"{RATE_LIMIT_BUCKET_PREFIX}{kind}"
    if rate_for(bucket) is None:
        return deliveries
    for position in range(len(deliveries)):
        try:
            count_hit(bucket=bucket, identity="sent")
        except RateLimited as limited:
            # The window is full: the rest of the batch would only be refused one by one.
            put_back += [(waiting, limited.retry_after) for waiting in deliveries[position:]]
            return deliveries[:position]
    return deliveries


def _put_back(delivery: Delivery, *, seconds: int) -> None:
    """Return a claimed delivery to the queue for `seconds`, without counting it as an attempt."""
    Delivery.objects.filter(id=delivery.id).update(
        status=Delivery.Status.QUEUED,
        attempts=F("attempts") - 1,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=seconds),
        updated_at=timezone.now(),
    )


def _record_successes(deliveries: list[Delivery]) -> None:
    """Mark `deliveries` sent (in-app ones delivered) with their provider ids, in one statement
    run for every row: bulk_update's per-row CASE costs more to build than to run."""
    if not deliveries:
        return
    now = timezone.now()
    for delivery in deliveries:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = delivery.updated_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
        if delivery.channel == ChannelKind.IN_APP:
            # Placing the message in the inbox is its delivery.
            delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
    stored_now = connection.ops.adapt_datetimefield_value(now)
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s, "  # noqa: S608 (a model's table name)  # nosec B608
            "next_attempt_at = NULL, last_error = '', provider_message_id = %s, "
            "delivered_at = COALESCE(%s, delivered_at) WHERE id = %s",
            [
                (
                    delivery.status,
                    stored_now,
                    stored_now,
                    delivery.provider_message_id,
                    stored_now if delivery.delivered_at == now else None,
                    delivery.id,
                )
                for delivery in deliveries
            ],
        )


def _record_failure(delivery: Delivery, error: DeliveryFailed) -> None:
    delivery.last_error = str(error)[:2000]
    if isinstance(error, RecipientRejected):
        delivery.status = Delivery.Status.BOUNCED
        suppress_address(
            channel=delivery.channel,
            address=delivery.address,
            reason=Suppression.Reason.HARD_BOUNCE,
        )
    if error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        if delivery.status != Delivery.Status.BOUNCED:
            delivery.status = Delivery.Status.FAILED
        delivery.is_permanent_failure = error.permanent
        delivery.next_attempt_at = None
    else:
        delivery.status = Delivery.Status.QUEUED
        delivery.next_attempt_at = timezone.now() + backoff_delay(delivery.attempts)
    logger.info("Delivery %s failed (%s): %s", delivery.id, delivery.status, delivery.last_error)
    delivery.save(
        update_fields=[
            "status",
            "last_error",
            "is_permanent_failure",
            "next_attempt_at",
            "updated_at",
        ]
    )


def suppress_address(*, channel: str, address: str, reason: str) -> Suppression:
    """Stop all sending to `address` on `channel` (idempotent); the first reason is kept."""
    suppression, _created = Suppression.objects.get_or_create(
        channel=channel, address=address.lower(), defaults={"reason": reason}
    )
    return suppression


def due_delivery_ids(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Deliveries waiting for a retry, the end of quiet hours, or an expired claim."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
