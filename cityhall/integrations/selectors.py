"""Reads of the integrations domain: which subscriptions an event reaches, and the doors to
subscriptions and deliveries for the back office (`*_for_admin`) and the portal's partner area
(`*_for_partner`).

City administrators see every subscription. Department administrators see the city systems of
their departments only. A partner organisation's managers (members who can manage it) see that
organisation's subscriptions, while it is active. The `get_*` selectors raise NotFound for
anything else, so existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet

from cityhall.accounts.models import PartnerMembership, PartnerOrganisation, StaffRole, User
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


def _filtered_deliveries(
    subscriptions: QuerySet[WebhookSubscription], filters: DeliveryFilters
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.filter(subscription__in=subscriptions).select_related(
        "subscription__partner", "service_request"
    )
    if filters.subscription is not None:
        deliveries = deliveries.filter(subscription=filters.subscription)
    if filters.status:
        deliveries = deliveries.filter(status=filters.status)
    if filters.event:
        deliveries = deliveries.filter(event=filters.event)
    if filters.since is not None:
        deliveries = deliveries.filter(created_at__gte=filters.since)
    return deliveries


def _delivery_of(subscriptions: QuerySet[WebhookSubscription], public_id: UUID) -> WebhookDelivery:
    delivery = (
        WebhookDelivery.objects.filter(subscription__in=subscriptions, public_id=public_id)
        .select_related("subscription__partner", "service_request")
        .prefetch_related("tries")
        .first()
    )
    if delivery is None:
        raise NotFound
    return delivery


def webhook_deliveries_for_admin(
    *, actor: User, filters: DeliveryFilters
) -> QuerySet[WebhookDelivery]:
    """The deliveries of the subscriptions `actor` administers, newest first, filtered."""
    return _filtered_deliveries(_administered_subscriptions(actor), filters)


def get_webhook_delivery_for_admin(*, actor: User, public_id: UUID) -> WebhookDelivery:
    """One delivery of a subscription `actor` administers, with its attempts; NotFound otherwise."""
    return _delivery_of(_administered_subscriptions(actor), public_id)


def partners_managed_by(user: User) -> QuerySet[PartnerOrganisation]:
    """The active partner organisations `user` may manage (as a member who can manage it)."""
    return PartnerOrganisation.objects.filter(
        is_active=True,
        id__in=PartnerMembership.objects.filter(user=user, is_manager=True).values(
            "organisation_id"
        ),
    )


def webhook_subscriptions_for_partner(*, user: User) -> QuerySet[WebhookSubscription]:
    """The subscriptions of the partner organisations `user` manages, newest first."""
    return WebhookSubscription.objects.filter(partner__in=partners_managed_by(user)).select_related(
        "partner"
    )


def get_webhook_subscription_for_partner(*, user: User, public_id: UUID) -> WebhookSubscription:
    """One subscription of an organisation `user` manages; NotFound otherwise."""
    subscription = webhook_subscriptions_for_partner(user=user).filter(public_id=public_id).first()
    if subscription is None:
        raise NotFound
    return subscription


def webhook_deliveries_for_partner(
    *, user: User, filters: DeliveryFilters
) -> QuerySet[WebhookDelivery]:
    """The deliveries to the subscriptions of organisations `user` manages, newest first."""
    return _filtered_deliveries(webhook_subscriptions_for_partner(user=user), filters)


def get_webhook_delivery_for_partner(*, user: User, public_id: UUID) -> WebhookDelivery:
    """One delivery to a subscription of an organisation `user` manages; NotFound otherwise."""
    return _delivery_of(webhook_subscriptions_for_partner(user=user), public_id)


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
    """Active partners `actor` may subscribe: all for a city administrator, else those `actor`
    manages."""
    if not is_city_admin(actor):
        return partners_managed_by(actor)
    return PartnerOrganisation.objects.filter(is_active=True)


def departments_for_new_subscriptions(*, actor: User) -> QuerySet[Department]:
    """Departments whose city systems `actor` may subscribe (a city administrator: all)."""
    if is_city_admin(actor):
        return Department.objects.all()
    administered = department_ids_for_staff(actor, roles={StaffRole.Role.DEPARTMENT_ADMIN})
    return Department.objects.filter(id__in=administered)
