"""The partners' service areas for alerts: where each partner organisation may draft alerts
(which the city then approves). City administrators who manage partners set them."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.accounts.models import PartnerOrganisation
from cityhall.accounts.permissions import Capability
from cityhall.alerts.forms import PartnerAreaForm, show_alert_error
from cityhall.alerts.models import PartnerAlertArea
from cityhall.alerts.partner_drafting import set_service_area
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.core.errors import CityHallError, NotFound

MANAGE = Capability.MANAGE_PARTNERS


@staff_member_required(capability=MANAGE)
@require_GET
def partner_areas(request: HttpRequest) -> HttpResponse:
    """Every active partner with its service area's districts, if it has one."""
    areas = {
        area.partner_id: area
        for area in PartnerAlertArea.objects.prefetch_related("districts").all()
    }
    rows = [
        (partner, areas.get(partner.pk))
        for partner in PartnerOrganisation.objects.filter(is_active=True).order_by("name")
    ]
    return render(request, "backoffice/alerts/partner_areas.html", {"rows": rows})


@staff_member_required(capability=MANAGE)
@require_http_methods(["GET", "POST"])
def partner_area_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Choose one partner's service area."""
    partner = PartnerOrganisation.objects.filter(public_id=public_id, is_active=True).first()
    if partner is None:
        raise NotFound
    current = PartnerAlertArea.objects.filter(partner=partner).first()
    initial = {"districts": list(current.districts.all())} if current else {}
    form = PartnerAreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_service_area(
                actor=staff_actor(request),
                partner=partner,
                districts=form.cleaned_data["districts"],
                polygon=form.polygon(),
            )
        except CityHallError as error:
            show_alert_error(form, error)
        else:
            messages.success(request, _("The partner's service area is saved."))
            return redirect("backoffice:partner_alert_areas")
    context = {"form": form, "partner": partner}
    status = 400 if form.errors else 200
    return render(request, "backoffice/alerts/partner_area_form.html", context, status=status)
