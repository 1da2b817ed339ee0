"""Reads of the alerts received from other authorities, and the draft a re-broadcast starts
from."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from cityhall.alerts.models import Alert, IncomingAlert
from cityhall.core.errors import NotFound

#: How many received alerts the back office lists.
RECENT_SHOWN = 50
TEXT_PARTS = ("event", "headline", "description", "instruction", "area_description")


def recent_incoming_alerts() -> list[IncomingAlert]:
    return list(IncomingAlert.objects.select_related("partner", "rebroadcast_as")[:RECENT_SHOWN])


def incoming_alert(public_id: UUID | str) -> IncomingAlert:
    found = IncomingAlert.objects.select_related("partner", "rebroadcast_as").filter(
        public_id=public_id
    )
    alert = found.first()
    if alert is None:
        raise NotFound
    return alert


def incoming_alert_or_none(public_id: str) -> IncomingAlert | None:
    """The received alert of a public id given in a query string; None when unknown."""
    try:
        return incoming_alert(UUID(public_id))
    except (NotFound, ValueError):
        return None


def _choice(value: str, choices: Any, default: str) -> str:
    return value if value in choices.values else default


def draft_initial_for(received: IncomingAlert) -> dict[str, Any]:
    """The draft form's initial values for re-broadcasting a received alert: its kinds,
    times, texts (the French ones fall back to the English ones, to be translated) and its
    area (clipped to the city) as a polygon."""
    initial: dict[str, Any] = {
        "category": _choice(received.category, Alert.Category, Alert.Category.OTHER),
        "urgency": _choice(received.urgency, Alert.Urgency, Alert.Urgency.UNKNOWN),
        "severity": _choice(received.severity, Alert.Severity, Alert.Severity.UNKNOWN),
        "certainty": _choice(received.certainty, Alert.Certainty, Alert.Certainty.UNKNOWN),
        "status": received.status if received.status in ("Actual", "Exercise", "Test") else "Test",
        "onset": received.onset or received.sent,
        "expires": received.expires,
    }
    for language in ("en", "fr"):
        text = received.text(language)
        for part in TEXT_PARTS:
            initial[f"{language}_{part}"] = text.get(part, "")
        initial[f"{language}_short_text"] = text.get("headline", "")
    if received.area:
        initial["area_kind"] = Alert.AreaKind.POLYGON
        initial["area_geojson"] = json.dumps(received.area)
    return initial
