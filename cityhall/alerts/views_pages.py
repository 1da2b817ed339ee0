"""The portal's alert pages (inside the language prefix): current alerts, one page per alert,
and the emergency page that replaces the home page in crisis mode."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.alerts import selectors
from cityhall.alerts.caching import ALERTS
from cityhall.alerts.emergency import emergency_places
from cityhall.alerts.links import cap_url, json_url
from cityhall.alerts.selectors import (
    PUBLISHED_STATES,
    current_public_alerts,
    earlier_messages,
    published_alert,
)
from cityhall.portal.page_cache import shared_with_anonymous_visitors


@shared_with_anonymous_visitors(ALERTS)
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alerts in force, with where to find the feeds."""
    return render(request, "alerts/list.html", {"alerts": current_public_alerts()})


@shared_with_anonymous_visitors(ALERTS)
def alert_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    """One alert's long web version: what is happening, what to do, where, until when."""
    alert = published_alert(identifier)
    context = {
        "alert": alert,
        "text": alert.text(),
        "earlier": earlier_messages(alert),
        "later": list(alert.followups.filter(state__in=PUBLISHED_STATES)),
        "cap_url": cap_url(alert),
        "json_url": json_url(alert),
    }
    return render(request, "alerts/detail.html", context)


def emergency_page(request: HttpRequest) -> HttpResponse | None:
    """The emergency page while the city is in crisis mode, else None (the usual home page).

    Called by the portal's home view, which is cached by the alerts' version."""
    alerts = selectors.crisis_alerts()
    if not alerts:
        return None
    context = {
        "alerts": [(alert, alert.text()) for alert in alerts],
        "places": emergency_places(alerts),
    }
    return render(request, "alerts/emergency.html", context)
