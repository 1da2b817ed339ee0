"""The portal's alert pages (inside the language prefix): current alerts, one page per alert,
and the emergency page that replaces the home page in crisis mode."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityhall.alerts import selectors
from cityhall.alerts.caching import ALERTS, cached_while_unchanged
from cityhall.alerts.emergency import EmergencyPlaces, emergency_places
from cityhall.alerts.links import cap_url, json_url
from cityhall.alerts.models import Alert
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

    Called by the portal's home view. What it shows is kept in the cache while no published
    alert changes, so that signed-in visitors, whose pages are not shared, cost no query either.
    """

    def build() -> tuple[tuple[list[Alert], EmergencyPlaces | None], datetime | None]:
        alerts = selectors.crisis_alerts()
        places = emergency_places(alerts) if alerts else None
        return (alerts, places), min((alert.expires for alert in alerts), default=None)

    alerts, places = cached_while_unchanged("emergency", build)
    if not alerts:
        return None
    context = {"alerts": [(alert, alert.text()) for alert in alerts], "places": places}
    return render(request, "alerts/emergency.html", context)
