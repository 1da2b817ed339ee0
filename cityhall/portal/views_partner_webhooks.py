"""The partner area's webhook pages: an organisation's managers subscribe their own systems to
the events of the requests assigned to it, see each signing secret once, rotate or disable a
subscription, read its delivery log and send a delivery again.

Only members who can manage an active organisation reach these pages (404 for anyone else);
each subscription and delivery is loaded through the integrations selectors `*_for_partner`,
so another organisation's answer 404 too.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.core.errors import CityHallError
from cityhall.integrations.forms import DeliveryFilterForm, PartnerWebhookForm
from cityhall.integrations.selectors import (
    DeliveryFilters,
    get_webhook_delivery_for_partner,
    get_webhook_subscription_for_partner,
    partners_managed_by,
    webhook_deliveries_for_partner,
    webhook_subscriptions_for_partner,
)
from cityhall.integrations.services import (
    IssuedSubscription,
    create_webhook_subscription,
    disable_webhook_subscription,
    rotate_webhook_secret,
)
from cityhall.integrations.views_shared import redeliver_and_say

DELIVERIES_PER_PAGE = 50


@cache
def _guide_text() -> str:
    """docs/webhooks.md, the partners' guide: one text for receivers and for this page."""
    return (Path(settings.BASE_DIR) / "docs" / "webhooks.md").read_text(encoding="utf-8")


def _manager(request: HttpRequest) -> User:
    """The signed-in manager of an active partner organisation; 404 for anyone else."""
    user = request.user
    assert isinstance(user, User)  # login_required
    if not partners_managed_by(user).exists():
        raise Http404
    return user


def _show_secret(request: HttpRequest, issued: IssuedSubscription) -> HttpResponse:
    """The page showing a new secret, once: the answer is never cached."""
    response = render(request, "portal/partner/webhooks/secret.html", {"issued": issued})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def partner_webhooks(request: HttpRequest) -> HttpResponse:
    """The subscriptions of the organisations the member manages."""
    subscriptions = list(webhook_subscriptions_for_partner(user=_manager(request)))
    return render(request, "portal/partner/webhooks/list.html", {"subscriptions": subscriptions})


@login_required
@require_GET
def partner_webhook_guide(request: HttpRequest) -> HttpResponse:
    """The webhooks guide for partners (docs/webhooks.md as written, in English)."""
    _manager(request)
    return render(request, "portal/partner/webhooks/guide.html", {"guide": _guide_text()})


@login_required
@require_http_methods(["GET", "POST"])
def partner_webhook_create(request: HttpRequest) -> HttpResponse:
    """Subscribe an address to events, then show its signing secret once."""
    user = _manager(request)
    form = PartnerWebhookForm(request.POST or None, partners=partners_managed_by(user))
    if request.method == "POST" and form.is_valid():
        try:
            issued = create_webhook_subscription(
                actor=user,
                owner=form.owner(),
                target_url=form.cleaned_data["target_url"],
                events=form.cleaned_data["events"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            return _show_secret(request, issued)
    return render(request, "portal/partner/webhooks/create.html", {"form": form})


@login_required
@require_GET
def partner_webhook_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A subscription and its delivery log, newest first, by status and event."""
    user = _manager(request)
    subscription = get_webhook_subscription_for_partner(user=user, public_id=public_id)
    form = DeliveryFilterForm(request.GET or None)
    filters = DeliveryFilters(subscription=subscription)
    if form.is_valid():
        filters = DeliveryFilters(
            subscription=subscription,
            status=form.cleaned_data["status"],
            event=form.cleaned_data["event"],
        )
    deliveries = webhook_deliveries_for_partner(user=user, filters=filters)
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"subscription": subscription, "form": form, "page": page}
    return render(request, "portal/partner/webhooks/detail.html", context)


@login_required
@require_POST
def partner_webhook_rotate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Replace the subscription's signing secret and show the new one once."""
    user = _manager(request)
    subscription = get_webhook_subscription_for_partner(user=user, public_id=public_id)
    try:
        issued = rotate_webhook_secret(actor=user, subscription=subscription)
    except CityHallError as error:
        messages.error(request, error.message)
        return redirect("portal:partner_webhook", public_id=subscription.public_id)
    return _show_secret(request, issued)


@login_required
@require_POST
def partner_webhook_disable(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Stop a subscription at once, then go back to it."""
    user = _manager(request)
    subscription = get_webhook_subscription_for_partner(user=user, public_id=public_id)
    disable_webhook_subscription(actor=user, subscription=subscription)
    messages.success(request, _("The subscription is disabled. Nothing more will be sent to it."))
    return redirect("portal:partner_webhook", public_id=subscription.public_id)


@login_required
@require_GET
def partner_webhook_delivery(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One delivery: the body sent and every attempt."""
    delivery = get_webhook_delivery_for_partner(user=_manager(request), public_id=public_id)
    return render(request, "portal/partner/webhooks/delivery.html", {"delivery": delivery})


@login_required
@require_POST
def partner_webhook_redeliver(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Send a delivery again (same id and body, audited), then show it."""
    user = _manager(request)
    delivery = get_webhook_delivery_for_partner(user=user, public_id=public_id)
    redeliver_and_say(request, actor=user, delivery=delivery)
    return redirect("portal:partner_webhook_delivery", public_id=delivery.public_id)
