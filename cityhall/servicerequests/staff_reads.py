"""Who opened which citizen's request: the audit log's staff reads, read back.

`get_service_request_for_staff` audits every opening of a request's page or record, and
`services.contact_reveals.reveal_contact_details` every opening of its contact details with
the reason given. The privacy officer's summary here needs `Capability.READ_AUDIT_LOG`;
`contact_details_revealed` tells the request's page and the staff API what to show. The
privacy officer's full log and the citizen's own are in `staff_access_log.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.core.errors import PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.audiences import Audience
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services.contact_reveals import reveal_lasts


@dataclass(frozen=True)
class StaffRead:
    """One opening of a request by a staff member. `tracking_number` is empty once the
    request is gone (erased or removed with the demo city)."""

    at: datetime
    staff_name: str
    tracking_number: str


@dataclass(frozen=True)
class StaffReads:
    """How many requests staff opened since a moment, and the latest of those openings."""

    count: int
    latest: list[StaffRead]


def staff_reads_for_privacy_officer(*, actor: User, since: datetime, limit: int) -> StaffReads:
    """Staff openings of requests since `since`, newest first (at most `limit` listed).

    Raises PermissionDenied unless `actor` holds `Capability.READ_AUDIT_LOG`. Three queries.
    """
    if not has_capability(actor, Capability.READ_AUDIT_LOG):
        raise PermissionDenied
    reads = AuditEvent.objects.filter(
        action=ServiceRequestAuditAction.VIEWED_BY_STAFF, created_at__gte=since
    )
    latest = list(reads.select_related("actor").order_by("-created_at", "-id")[:limit])
    ids = {event.pk: _uuid_or_none(event.target_id) for event in latest}
    numbers: dict[UUID | None, str] = dict(
        ServiceRequest.objects.filter(
            public_id__in={public_id for public_id in ids.values() if public_id is not None}
        ).values_list("public_id", "tracking_number")
    )
    return StaffReads(
        count=reads.count(),
        latest=[
            StaffRead(
                at=event.created_at,
                staff_name=_name(event.actor),
                tracking_number=numbers.get(ids[event.pk], ""),
            )
            for event in latest
        ],
    )


def contact_details_revealed(
    *, service_request: ServiceRequest, staff: User, now: datetime | None = None
) -> bool:
    """Whether `staff` gave a reason for this request's contact details within the last
    CONTACT_REVEAL_MINUTES. One indexed query on the audit log."""
    since = (now or timezone.now()) - reveal_lasts()
    return AuditEvent.objects.filter(
        target_type=ServiceRequest._meta.label_lower,
        target_id=str(service_request.public_id),
        action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED,
        recorded_actor_id=staff.pk,
        created_at__gte=since,
    ).exists()


def staff_audience(*, service_request: ServiceRequest, staff: User) -> Audience:
    """What `staff` sees of the request now: everything once they gave a reason, otherwise
    everything but the contact details and private answers."""
    if contact_details_revealed(service_request=service_request, staff=staff):
        return Audience.STAFF
    return Audience.STAFF_BEFORE_REASON


def _name(actor: User | None) -> str:
    if actor is None:
        return ""
    return actor.full_name or actor.email


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None
