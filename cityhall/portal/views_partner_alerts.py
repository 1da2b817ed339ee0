"""The partner area's alert pages: a utility's managers draft alerts for their service area
and send them to the city, which approves them (cityhall.alerts.partner_drafting)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.alerts.forms import AlertDraftForm, show_alert_error
from cityhall.alerts.models import SHORT_TEXT_MAX_LENGTH, Alert
from cityhall.alerts.partner_drafting import (
    drafting_partners,
    send_partner_alert,
    service_districts,
)
from cityhall.core.errors import CityHallError
from cityhall.servicerequests.access import partner_organisation_ids_for

#: How many of the organisation's alerts the page lists.
SHOWN = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@login_required
@require_GET
def partner_alerts(request: HttpRequest) -> HttpResponse:
    """The alerts of the organisations the member drafts for, newest first; 404 for anyone
    who is no member of an active partner organisation."""
    user = _user(request)
    if not partner_organisation_ids_for(user):
        raise Http404
    partners = drafting_partners(user)
    alerts = (
        Alert.objects.filter(partner__in=partners).prefetch_related("texts").order_by("-created_at")
        if partners
        else Alert.objects.none()
    )
    context = {"partners": partners, "alerts": list(alerts[:SHOWN])}
    return render(request, "portal/partner/alerts/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_alert_new(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Draft an alert for one organisation's service area and send it to the city."""
    user = _user(request)
    partner = _partner(user, public_id)
    form = AlertDraftForm(request.POST or None, request.FILES or None)
    districts = form.fields["districts"]
    districts.queryset = service_districts(partner)  # type: ignore[attr-defined]  # a ModelMultipleChoiceField
    if request.method == "POST" and form.is_valid():
        try:
            send_partner_alert(actor=user, partner=partner, content=form.content())
        except CityHallError as error:
            show_alert_error(form, error)
        else:
            messages.success(request, _("The alert is sent to the city for approval."))
            return redirect("portal:partner_alerts")
    context = {
        "form": form,
        "partner": partner,
        "short_text_max": SHORT_TEXT_MAX_LENGTH,
        "submit_label": _("Send to the city for approval"),
    }
    status = 400 if form.errors else 200
    return render(request, "portal/partner/alerts/form.html", context, status=status)


def _partner(user: User, public_id: UUID) -> PartnerOrganisation:
    for partner in drafting_partners(user):
        if partner.public_id == public_id:
            return partner
    raise Http404
