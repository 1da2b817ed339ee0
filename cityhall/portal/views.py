"""Citizen portal pages. Views are thin: they call domain services and selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.alerts.caching import ALERTS
from cityhall.alerts.views_pages import emergency_page
from cityhall.portal.page_cache import shared_with_anonymous_visitors
from cityhall.portal.views_requests.tracking import TrackForm


@shared_with_anonymous_visitors(ALERTS)
def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: what citizens can do here, how to track a request without an
    account, and how to reach the city. In crisis mode it is the emergency page instead."""
    emergency = emergency_page(request)
    if emergency is not None:
        return emergency
    return render(request, "portal/home.html", {"track_form": TrackForm()})


@shared_with_anonymous_visitors()
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: the standard aimed for, and how to report a barrier."""
    return render(request, "portal/accessibility.html")


@shared_with_anonymous_visitors()
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what personal information is collected, why, and the reader's rights."""
    return render(request, "portal/privacy.html")
