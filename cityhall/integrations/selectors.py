"""Reads of the integrations domain: which subscriptions an event reaches, and the back office's
doors to subscriptions and deliveries.

City administrators see every subscription. Department administrators see the city systems of
their departments only; partners' subscriptions are the city administrators'. The
`get_*_for_admin` selectors raise NotFound for anything else, so existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet

from cityhall.accounts.models import PartnerOrganisation, StaffRole, User
from cityhall.accounts.selectors import department_ids_for_staff, is_city_admin
from cityhall.catalog.models import Department
from cityhall.core.errors import NotFound
from cityhall.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from cityhall.servicerequests.models import ServiceRequest


def subscriptions_for_event(
    *, event: str, service_request: ServiceRequest, partner: PartnerOrganisation | None
) -> list[WebhookSubscription]:
    """The active subscriptions to `event` that may hear about `service_request`.

    City systems hear about requests of their department (all, when they have none). A partner
    hears only about requests assigned to it, and only as `partner` (the partner concerned:
    the one the request is assigned to, or was just assigned to), while it is active.
    """
    city_systems = Q(partner__isnull=True) & (
        Q(department__isnull=True) | Q(department_id=service_request.department_id)
    )
    is_partner_heard = partner is not None and partner.is_active
    audience = city_systems | Q(partner=partner) if is_partner_heard else city_systems
    # JSON containment (`events__contains`) is not available on SQLite, and a city has few
    # subscriptions, so the event is matched here.
    candidates = WebhookSubscription.objects.filter(audience, is_active=True).order_by("id")
    return [subscription for subscription in candidates if event in subscription.events]


def _administered_subscriptions(actor: User) -> QuerySet[WebhookSubscription]:
    subscriptions = WebhookSubscription.objects.select_related("partner", "department")
    if is_city_admin(actor):
        return subscriptions
    department_ids = department_ids_for_staff(actor, roles={StaffRole.Role.DEPARTMENT_ADMIN})
    return subscriptions.filter(partner__isnull=True, department_id__in=department_ids)


def webhook_subscriptions_for_admin(*, actor: User) -> QuerySet[WebhookSubscription]:
    """The subscriptions `actor` administers, newest first (none for other staff)."""
    return _administered_subscriptions(actor)


def get_webhook_subscription_for_admin(*, actor: User, public_id: UUID) -> WebhookSubscription:
    """One subscription `actor` administers; NotFound otherwise."""
    subscription = _administered_subscriptions(actor).filter(public_id=public_id).first()
    if subscription is None:
        raise NotFound
    return subscription


@dataclass(frozen=True)
class DeliveryFilters:
    """The delivery log's filters; None or empty leaves a filter out."""

    subscription: WebhookSubscription | None = None
    status: str = ""
    event: str = ""
    since: dt.datetime | None = None


def webhook_deliveries_for_admin(
    *, actor: User, filters: DeliveryFilters
) -> QuerySet[WebhookDelivery]:
    """The deliveries of the subscriptions `actor` administers, newest first, filtered."""
    deliveries = WebhookDelivery.objects.filter(
        subscription__in=_administered_subscriptions(actor)
    ).select_related("subscription__partner", "service_request")
    if filters.subscription is not None:
        deliveries = deliveries.filter(subscription=filters.subscription)
    if filters.status:
        deliveries = deliveries.filter(status=filters.status)
    if filters.event:
        deliveries = deliveries.filter(event=filters.event)
    if filters.since is not None:
        deliveries = deliveries.filter(created_at__gte=filters.since)
    return deliveries


def get_webhook_delivery_for_admin(*, actor: User, public_id: UUID) -> WebhookDelivery:
    """One delivery of a subscription `actor` administers, with its attempts; NotFound otherwise."""
    delivery = (
        WebhookDelivery.objects.filter(
            subscription__in=_administered_subscriptions(actor), public_id=public_id
        )
        .select_related("subscription__partner", "service_request")
        .prefetch_related("tries")
        .first()
    )
    if delivery is None:
        raise NotFound
    return delivery


def notification_subscription_for(user: User) -> WebhookSubscription | None:
    """The active subscription that receives `user`'s notifications, if any.

    It is the oldest `notification.sent` subscription of an active partner `user` acts for.
    """
    candidates = WebhookSubscription.objects.filter(
        is_active=True,
        partner__is_active=True,
        partner__memberships__user=user,
    ).order_by("created_at", "id")
    wanted = WebhookEvent.NOTIFICATION_SENT
    return next((found for found in candidates if wanted in found.events), None)


def partners_for_new_subscriptions(*, actor: User) -> QuerySet[PartnerOrganisation]:
    """Active partners `actor` may subscribe: all for a city administrator, none otherwise."""
    if not is_city_admin(actor):
        return PartnerOrganisation.objects.none()
    return PartnerOrganisation.objects.filter(is_active=True)


def departments_for_new_subscriptions(*, actor: User) -> QuerySet[Department]:
    """Departments whose city systems `actor` may subscribe (a city administrator: all)."""
    if is_city_admin(actor):
        return Department.objects.all()
    administered = department_ids_for_staff(actor, roles={StaffRole.Role.DEPARTMENT_ADMIN})
    return Department.objects.filter(id__in=administered)
