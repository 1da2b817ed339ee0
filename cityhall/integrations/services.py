"""State changes of the integrations domain.

A subscription is created (its secret shown once; a new one replaces it when rotated), receives
events while active, and stops when it is disabled (by city staff or the partner's managers) or
its receiver answers 410 Gone. Each event it matches is written to the
outbox (`record_webhook_deliveries`) in the transaction of the change and sent after commit;
staff may send a delivery again (`redeliver_webhook`), which restarts its 24-hour window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import PartnerOrganisation, StaffRole, User
from cityhall.accounts.selectors import department_ids_for_staff, is_city_admin
from cityhall.catalog.models import Department
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput, NotFound
from cityhall.core.outbound import AddressRefused, check_url
from cityhall.core.queueing import enqueue_after_commit
from cityhall.integrations.audit_actions import IntegrationAuditAction
from cityhall.integrations.delivery import RETRY_WINDOW
from cityhall.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from cityhall.integrations.payloads import event_body
from cityhall.integrations.selectors import partners_managed_by, subscriptions_for_event
from cityhall.integrations.signing import encrypt_secret, new_secret, reencrypt_secret
from cityhall.integrations.tasks import deliver_webhook
from cityhall.servicerequests.models import ServiceRequest


@dataclass(frozen=True)
class IssuedSubscription:
    """A new subscription and its signing secret, which is never available again in clear."""

    subscription: WebhookSubscription
    secret: str


@dataclass(frozen=True)
class SubscriptionOwner:
    """Who a subscription is for: a partner, or a named city system (of one department or all)."""

    partner: PartnerOrganisation | None = None
    city_system: str = ""
    department: Department | None = None


def check_target_url(url: str) -> None:
    """Raise InvalidInput (`target_url`) unless `url` is https to a public address.

    The check is core.outbound's, the one every delivery makes again after resolving the name:
    any spelling of a loopback, private, link-local or otherwise internal address is refused,
    and so is a name that resolves to one. Plain http is accepted only to this machine under
    OUTBOUND_ALLOW_LOOPBACK (development, and tests that start a receiver on 127.0.0.1).
    """
    try:
        check_url(url)
    except AddressRefused as error:
        raise InvalidInput(
            fields={"target_url": [_("Enter a public address that starts with https://.")]}
        ) from error


def _check_owner(actor: User, owner: SubscriptionOwner) -> None:
    if (owner.partner is None) == (not owner.city_system.strip()):
        raise InvalidInput(fields={"city_system": [_("Choose a partner or name a city system.")]})
    if owner.partner is not None and owner.department is not None:
        raise InvalidInput(
            fields={"department": [_("A partner's subscription covers its own requests only.")]}
        )
    if is_city_admin(actor):
        return
    if (
        owner.partner is not None
        and partners_managed_by(actor).filter(id=owner.partner.id).exists()
    ):
        return
    # Department administrators manage their own departments' city systems, nothing else.
    administered = department_ids_for_staff(actor, roles={StaffRole.Role.DEPARTMENT_ADMIN})
    if (
        owner.partner is not None
        or owner.department is None
        or owner.department.id not in administered
    ):
        raise InvalidInput(fields={"department": [_("Choose one of your departments.")]})


@transaction.atomic
def create_webhook_subscription(
    *, actor: User, owner: SubscriptionOwner, target_url: str, events: list[str]
) -> IssuedSubscription:
    """Subscribe `target_url` to `events` for `owner`, with a new signing secret.

    Raises InvalidInput for a bad URL (see check_target_url), no or unknown events (or members'
    notifications for a city system), or an owner `actor` may not set up (department
    administrators: a city system of their department; a partner's managers: that partner).
    """
    check_target_url(target_url)
    if not events or not set(events) <= set(WebhookEvent.values):
        raise InvalidInput(fields={"events": [_("Choose at least one event.")]})
    if owner.partner is None and WebhookEvent.NOTIFICATION_SENT in events:
        raise InvalidInput(
            fields={"events": [_("Only a partner receives its members' notifications.")]}
        )
    _check_owner(actor, owner)
    secret = new_secret()
    subscription = WebhookSubscription.objects.create(
        partner=owner.partner,
        city_system=owner.city_system.strip(),
        department=owner.department,
        target_url=target_url,
        events=sorted(set(events)),
        encrypted_secret=encrypt_secret(secret),
        created_by=actor,
    )
    record_audit_event(
        actor=actor,
        action=IntegrationAuditAction.SUBSCRIPTION_CREATED,
        target=subscription,
        data={"target_url": target_url, "events": subscription.events},
    )
    return IssuedSubscription(subscription=subscription, secret=secret)


@transaction.atomic
def disable_webhook_subscription(
    *, actor: User, subscription: WebhookSubscription
) -> WebhookSubscription:
    """Stop sending to the subscription; waiting deliveries fail when their turn comes.

    `subscription` must come from a `get_webhook_subscription_for_*` selector. Disabling twice
    is a no-op. The reason says "by staff" only when city staff disabled it.
    """
    if not subscription.is_active:
        return subscription
    subscription.is_active = False
    subscription.disabled_at = timezone.now()
    managers = partners_managed_by(actor).filter(webhook_subscriptions=subscription)
    by_staff = not managers.exists()
    subscription.disabled_reason = WebhookSubscription.DisabledReason.BY_STAFF if by_staff else ""
    subscription.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    record_audit_event(
        actor=actor, action=IntegrationAuditAction.SUBSCRIPTION_DISABLED, target=subscription
    )
    return subscription


@transaction.atomic
def redeliver_webhook(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, with the same id and body, and a new 24-hour retry window.

    `delivery` must come from a `get_webhook_delivery_for_*` selector. Raises Conflict while it is
    being sent or when its subscription is disabled.
    """
    locked = WebhookDelivery.objects.select_for_update().select_related("subscription")
    current = locked.filter(id=delivery.id).first()
    if current is None:
        raise NotFound
    if current.status == WebhookDelivery.Status.SENDING:
        raise Conflict(_("This delivery is being sent right now."))
    if not current.subscription.is_active:
        raise Conflict(_("The subscription is disabled."))
    now = timezone.now()
    current.status = WebhookDelivery.Status.PENDING
    current.next_attempt_at = None
    current.give_up_at = now + RETRY_WINDOW
    current.save(update_fields=["status", "next_attempt_at", "give_up_at", "updated_at"])
    record_audit_event(
        actor=actor,
        action=IntegrationAuditAction.DELIVERY_REDELIVERED,
        target=current,
        data={"event": current.event, "subscription": str(current.subscription.public_id)},
    )
    # A delivery whose task was not queued is sent by retry_due_webhook_deliveries.
    enqueue_after_commit(deliver_webhook, current.id)
    return current


@transaction.atomic
def rotate_webhook_secret(*, actor: User, subscription: WebhookSubscription) -> IssuedSubscription:
    """Give the subscription a new signing secret, which replaces the old one at once.

    Deliveries sent from now on, retries included, are signed with the new secret only.
    `subscription` must come from a `get_webhook_subscription_for_*` selector. Raises Conflict
    for a disabled subscription. Audited, without the secret.
    """
    locked = WebhookSubscription.objects.select_for_update().get(id=subscription.id)
    if not locked.is_active:
        raise Conflict(_("The subscription is disabled."))
    secret = new_secret()
    locked.encrypted_secret = encrypt_secret(secret)
    locked.save(update_fields=["encrypted_secret", "updated_at"])
    subscription.encrypted_secret = locked.encrypted_secret
    record_audit_event(
        actor=actor, action=IntegrationAuditAction.SECRET_ROTATED, target=subscription
    )
    return IssuedSubscription(subscription=subscription, secret=secret)


def record_webhook_deliveries(
    *,
    event: WebhookEvent,
    service_request: ServiceRequest,
    build_data: Callable[[], dict[str, Any]],
    partner: PartnerOrganisation | None,
    occurred_at: datetime | None = None,
) -> list[WebhookDelivery]:
    """Write one outbox row per subscription `event` reaches, and send them after commit.

    Call it inside the transaction of the change (the signal receivers do), so that a change
    rolled back leaves no delivery behind. `build_data` makes the event's `data`, which must
    hold no personal data (see payloads); it is called only when some subscription listens.
    """
    subscriptions = subscriptions_for_event(
        event=event, service_request=service_request, partner=partner
    )
    if not subscriptions:
        return []
    data = build_data()
    occurred_at = occurred_at or timezone.now()
    deliveries = []
    for subscription in subscriptions:
        delivery = WebhookDelivery(
            subscription=subscription,
            event=event,
            service_request=service_request,
            give_up_at=occurred_at + RETRY_WINDOW,
        )
        delivery.body = event_body(
            delivery_id=delivery.public_id, event=event, occurred_at=occurred_at, data=data
        )
        delivery.save()
        enqueue_after_commit(deliver_webhook, delivery.id)
        deliveries.append(delivery)
    return deliveries


def rotate_webhook_secrets() -> int:
    """Encrypt every stored signing secret again under the current SECRET_KEY; returns how many.

    Run it after moving the old key to SECRET_KEY_FALLBACKS, and before removing it there.
    """
    count = 0
    for subscription in WebhookSubscription.objects.only("id", "encrypted_secret").iterator():
        WebhookSubscription.objects.filter(id=subscription.id).update(
            encrypted_secret=reencrypt_secret(subscription.encrypted_secret)
        )
        count += 1
    return count
