"""The JSON bodies webhooks carry. docs/webhooks.md shows them; a test keeps the two in step.

Payloads carry no personal data: no reporter, contact details, account ids, assignee, free
text (descriptions, notes, answers) or street address. Points of sensitive services are
coarsened as in every public output.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.selectors import COARSE_DECIMALS

#: Version of the payload shapes; a change that could break a receiver bumps it.
PAYLOAD_VERSION = 1


def _timestamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def service_request_summary(service_request: ServiceRequest) -> dict[str, Any]:
    """What every request event says about the request."""
    latitude, longitude = service_request.latitude, service_request.longitude
    if service_request.service.is_sensitive and latitude is not None and longitude is not None:
        latitude, longitude = round(latitude, COARSE_DECIMALS), round(longitude, COARSE_DECIMALS)
    partner = service_request.assigned_partner
    return {
        "id": str(service_request.public_id),
        "tracking_number": service_request.tracking_number,
        "service_code": service_request.service.code,
        "department_code": service_request.department.code,
        "status": service_request.status,
        "priority": service_request.priority,
        "latitude": latitude,
        "longitude": longitude,
        "created_at": _timestamp(service_request.created_at),
        "updated_at": _timestamp(service_request.updated_at),
        "due_at": _timestamp(service_request.due_at),
        "assigned_partner_id": str(partner.public_id) if partner is not None else None,
    }


def status_change_summary(step: StatusChange) -> dict[str, Any]:
    """The step of a status change (its notes are free text and stay out)."""
    return {
        "from": step.from_status or None,
        "to": step.to_status,
        "at": _timestamp(step.created_at),
    }


def event_body(
    *, delivery_id: UUID, event: str, occurred_at: datetime, data: dict[str, Any]
) -> str:
    """The JSON text of one delivery: an envelope around the event's `data`."""
    envelope = {
        "id": str(delivery_id),
        "type": event,
        "version": PAYLOAD_VERSION,
        "occurred_at": _timestamp(occurred_at),
        "data": data,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
