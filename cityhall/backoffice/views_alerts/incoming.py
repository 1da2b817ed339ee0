"""Alerts received from other authorities (the CAP endpoint and the upstream feeds), offered
to officers to re-broadcast locally: a prefilled draft, approved by a second officer."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cityhall.alerts.upstream_selectors import incoming_alert, recent_incoming_alerts
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.views_alerts.authoring import PUBLISH


@staff_member_required(capability=PUBLISH)
@require_GET
def incoming_list(request: HttpRequest) -> HttpResponse:
    """The latest alerts received, newest first."""
    context = {"incoming": recent_incoming_alerts()}
    return render(request, "backoffice/alerts/incoming_list.html", context)


@staff_member_required(capability=PUBLISH)
@require_GET
def incoming_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One received alert: its texts and the offer to re-broadcast it."""
    context = {"incoming": incoming_alert(public_id)}
    return render(request, "backoffice/alerts/incoming_detail.html", context)
