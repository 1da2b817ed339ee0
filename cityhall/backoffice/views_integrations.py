"""Webhook pages for city and department administrators: subscriptions, the delivery log,
and manual redelivery. What each administrator sees is decided by the integrations selectors."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.core.errors import CityHallError
from cityhall.integrations.forms import DeliveryFilterForm, WebhookSubscriptionForm
from cityhall.integrations.models import WebhookSubscription
from cityhall.integrations.selectors import (
    DeliveryFilters,
    departments_for_new_subscriptions,
    get_webhook_delivery_for_admin,
    get_webhook_subscription_for_admin,
    partners_for_new_subscriptions,
    webhook_deliveries_for_admin,
    webhook_subscriptions_for_admin,
)
from cityhall.integrations.services import (
    create_webhook_subscription,
    disable_webhook_subscription,
)
from cityhall.integrations.views_shared import redeliver_and_say

DELIVERIES_PER_PAGE = 50
RECENT_DELIVERIES = 20


def _subscription_form(request: HttpRequest, actor: User) -> WebhookSubscriptionForm:
    return WebhookSubscriptionForm(
        request.POST or None,
        partners=partners_for_new_subscriptions(actor=actor),
        departments=departments_for_new_subscriptions(actor=actor),
    )


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
def webhook_list(request: HttpRequest) -> HttpResponse:
    """The subscriptions this administrator manages."""
    subscriptions = list(webhook_subscriptions_for_admin(actor=staff_actor(request)))
    return render(request, "backoffice/integrations/list.html", {"subscriptions": subscriptions})


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
@require_http_methods(["GET", "POST"])
def webhook_create(request: HttpRequest) -> HttpResponse:
    """Create a subscription and show its secret, once: the answer is never cached."""
    actor = staff_actor(request)
    form = _subscription_form(request, actor)
    if request.method == "POST" and form.is_valid():
        try:
            issued = create_webhook_subscription(
                actor=actor,
                owner=form.owner(),
                target_url=form.cleaned_data["target_url"],
                events=form.cleaned_data["events"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            response = render(request, "backoffice/integrations/secret.html", {"issued": issued})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "backoffice/integrations/create.html", {"form": form})


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
def webhook_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A subscription with its latest deliveries."""
    actor = staff_actor(request)
    subscription = get_webhook_subscription_for_admin(actor=actor, public_id=public_id)
    deliveries = webhook_deliveries_for_admin(
        actor=actor, filters=DeliveryFilters(subscription=subscription)
    )[:RECENT_DELIVERIES]
    context = {"subscription": subscription, "deliveries": list(deliveries)}
    return render(request, "backoffice/integrations/detail.html", context)


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
@require_POST
def webhook_disable(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Stop a subscription at once, then go back to it."""
    actor = staff_actor(request)
    subscription = get_webhook_subscription_for_admin(actor=actor, public_id=public_id)
    disable_webhook_subscription(actor=actor, subscription=subscription)
    messages.success(request, _("The subscription is disabled. Nothing more will be sent to it."))
    return redirect("backoffice:webhook_detail", public_id=subscription.public_id)


def _subscription_filter(request: HttpRequest, actor: User) -> WebhookSubscription | None:
    raw = request.GET.get("subscription", "")
    try:
        public_id = UUID(raw)
    except ValueError:
        return None
    return get_webhook_subscription_for_admin(actor=actor, public_id=public_id)


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
def webhook_deliveries(request: HttpRequest) -> HttpResponse:
    """The delivery log, newest first, by status, event, date and subscription."""
    actor = staff_actor(request)
    form = DeliveryFilterForm(request.GET or None)
    subscription = _subscription_filter(request, actor)
    filters = DeliveryFilters(subscription=subscription)
    if form.is_valid():
        since = form.cleaned_data["since"]
        filters = DeliveryFilters(
            subscription=subscription,
            status=form.cleaned_data["status"],
            event=form.cleaned_data["event"],
            since=timezone.make_aware(dt.datetime.combine(since, dt.time.min)) if since else None,
        )
    deliveries = webhook_deliveries_for_admin(actor=actor, filters=filters)
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "subscription": subscription}
    return render(request, "backoffice/integrations/deliveries.html", context)


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
def webhook_delivery_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One delivery: its body and every attempt."""
    delivery = get_webhook_delivery_for_admin(actor=staff_actor(request), public_id=public_id)
    return render(request, "backoffice/integrations/delivery.html", {"delivery": delivery})


@staff_member_required(capability=Capability.MANAGE_WEBHOOKS)
@require_POST
def webhook_redeliver(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Send a delivery again (audited), then show it."""
    actor = staff_actor(request)
    delivery = get_webhook_delivery_for_admin(actor=actor, public_id=public_id)
    redeliver_and_say(request, actor=actor, delivery=delivery)
    return redirect("backoffice:webhook_delivery", public_id=delivery.public_id)
