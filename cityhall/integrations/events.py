"""What the integrations domain reacts to: the service-request events, turned into webhooks.

The signals are sent inside the transaction of the change (see servicerequests/events.py), so
each receiver only writes outbox rows; sending waits for the commit.
"""

from __future__ import annotations

from typing import Any

from cityhall.accounts.models import PartnerOrganisation
from cityhall.integrations.models import WebhookEvent
from cityhall.integrations.payloads import service_request_summary, status_change_summary
from cityhall.integrations.services import record_webhook_deliveries
from cityhall.servicerequests.events import (
    service_request_assigned,
    service_request_created,
    service_request_status_changed,
)
from cityhall.servicerequests.models import ServiceRequest, StatusChange


def on_service_request_created(*, service_request: ServiceRequest, **_: Any) -> None:
    """A filed request reaches city systems (and its partner, when filed already assigned)."""
    record_webhook_deliveries(
        event=WebhookEvent.SERVICE_REQUEST_CREATED,
        service_request=service_request,
        build_data=lambda: {"service_request": service_request_summary(service_request)},
        partner=service_request.assigned_partner,
    )


def on_service_request_status_changed(
    *, service_request: ServiceRequest, step: StatusChange, **_: Any
) -> None:
    """A status change reaches city systems and the partner the request is assigned to."""
    record_webhook_deliveries(
        event=WebhookEvent.SERVICE_REQUEST_STATUS_CHANGED,
        service_request=service_request,
        build_data=lambda: {
            "service_request": service_request_summary(service_request),
            "status_change": status_change_summary(step),
        },
        partner=service_request.assigned_partner,
        occurred_at=step.created_at,
    )


def on_service_request_assigned(
    *, service_request: ServiceRequest, partner: PartnerOrganisation | None, **_: Any
) -> None:
    """An assignment reaches city systems and the partner it was assigned to.

    Only whether a person holds the request is said, never who.
    """
    record_webhook_deliveries(
        event=WebhookEvent.SERVICE_REQUEST_ASSIGNED,
        service_request=service_request,
        build_data=lambda: {
            "service_request": service_request_summary(service_request),
            "assignment": {
                "partner_id": str(partner.public_id) if partner is not None else None,
                "has_assignee": service_request.assignee_id is not None,
            },
        },
        partner=partner,
    )


def connect_receivers() -> None:
    """Connect the receivers above (IntegrationsConfig.ready calls this once)."""
    uid = "cityhall.integrations"
    service_request_created.connect(on_service_request_created, dispatch_uid=f"{uid}.created")
    service_request_status_changed.connect(
        on_service_request_status_changed, dispatch_uid=f"{uid}.status_changed"
    )
    service_request_assigned.connect(on_service_request_assigned, dispatch_uid=f"{uid}.assigned")
