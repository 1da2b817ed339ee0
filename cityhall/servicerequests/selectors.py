"""Reads of service requests. The `get_*_for_*` selectors are the only doors to one request.

Each raises NotFound for a request the actor may not see, so that existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet

from cityhall.accounts.models import User
from cityhall.accounts.selectors import department_ids_for_staff
from cityhall.catalog.models import Service
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import NotFound
from cityhall.places.h3cells import cell_for, cells_in_ring, distance_m, rings_to_cover
from cityhall.servicerequests.access import require_staff_access
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.duplicates import DuplicateEvidence, duplicate_score, text_similarity
from cityhall.servicerequests.models import ServiceRequest, StatusChange

#: Decimal places kept in public coordinates of sensitive services (about 100 m).
COARSE_DECIMALS = 3


@dataclass(frozen=True)
class PublicTimelineStep:
    status: str
    note: str
    at: datetime


@dataclass(frozen=True)
class PublicServiceRequest:
    """What anyone holding the tracking number may read: no reporter, contact or free text."""

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    status_label: str
    submitted_at: datetime
    updated_at: datetime
    district_name: str
    latitude: float | None
    longitude: float | None
    timeline: list[PublicTimelineStep]


def get_service_request_for_citizen(
    *, public_id: UUID, user: User | AnonymousUser
) -> ServiceRequest:
    """The request `user` filed. Raises NotFound for anyone else's request."""
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(public_id=public_id, reporter__isnull=False)
        .first()
    )
    if service_request is None or not user.is_authenticated:
        raise NotFound
    if service_request.reporter_id != user.pk:
        raise NotFound
    return service_request


def get_public_service_request(*, tracking_number: str) -> PublicServiceRequest:
    """The public view of a request: status, public timeline and (coarsened if sensitive) place.

    The description, answers, address and anything about the reporter are left out, since
    they may hold personal data. Raises NotFound for an unknown number.
    """
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(tracking_number=tracking_number.strip().upper())
        .first()
    )
    if service_request is None:
        raise NotFound
    latitude, longitude = service_request.latitude, service_request.longitude
    if service_request.service.is_sensitive and latitude is not None and longitude is not None:
        latitude, longitude = round(latitude, COARSE_DECIMALS), round(longitude, COARSE_DECIMALS)
    steps = StatusChange.objects.filter(service_request=service_request, is_public=True)
    return PublicServiceRequest(
        tracking_number=service_request.tracking_number,
        service_code=service_request.service.code,
        service_name=service_request.service.name,
        status=service_request.status,
        status_label=str(service_request.get_status_display()),
        submitted_at=service_request.created_at,
        updated_at=service_request.updated_at,
        district_name=service_request.district.display_name if service_request.district else "",
        latitude=latitude,
        longitude=longitude,
        timeline=[PublicTimelineStep(s.to_status, s.public_note, s.created_at) for s in steps],
    )


def get_service_request_for_staff(*, public_id: UUID, staff: User) -> ServiceRequest:
    """The request if `staff` works in the department it was routed to (city admins: any).

    Raises NotFound otherwise. Every successful read is audited, because requests hold
    personal data.
    """
    service_request = (
        ServiceRequest.objects.select_related(
            "service", "department", "district", "reporter", "assignee"
        )
        .filter(public_id=public_id)
        .first()
    )
    if service_request is None:
        raise NotFound
    require_staff_access(staff, service_request)
    record_audit_event(
        actor=staff, action=ServiceRequestAuditAction.VIEWED_BY_STAFF, target=service_request
    )
    return service_request


def service_requests_for_staff_queue(
    *,
    staff: User,
    statuses: list[str] | None = None,
    service: Service | None = None,
    assignee: User | None = None,
    overdue_at: datetime | None = None,
) -> QuerySet[ServiceRequest]:
    """Requests routed to `staff`'s departments, the soonest due first.

    `statuses` defaults to the open ones; `overdue_at` keeps those due before that moment.
    """
    queue = ServiceRequest.objects.filter(
        department_id__in=department_ids_for_staff(staff),
        status__in=statuses or sorted(ServiceRequest.OPEN_STATUSES),
    ).select_related("service", "department", "assignee")
    if service is not None:
        queue = queue.filter(service=service)
    if assignee is not None:
        queue = queue.filter(assignee=assignee)
    if overdue_at is not None:
        queue = queue.filter(due_at__lt=overdue_at)
    return queue.order_by(F("due_at").asc(nulls_last=True), "created_at", "id")


def likely_duplicates(  # noqa: PLR0913 (a point, a text and a moment describe the new request)
    *,
    service: Service,
    latitude: float,
    longitude: float,
    description: str,
    at: datetime,
    exclude_id: int | None = None,
) -> list[tuple[ServiceRequest, float]]:
    """Open requests for `service` near the point and recent, best `duplicates` score first.

    "Near" and "recent" are the service's `duplicate_radius_m` and `duplicate_window_hours`.
    Only the first entry can be a likely duplicate (`duplicates.likely_duplicate`).
    """
    origin = cell_for(latitude, longitude)
    radius = float(service.duplicate_radius_m)
    cells: set[str] = set()
    for ring in range(rings_to_cover(origin, radius) + 1):
        cells |= cells_in_ring(origin, ring)
    nearby = ServiceRequest.objects.filter(
        service=service,
        status__in=sorted(ServiceRequest.OPEN_STATUSES),
        h3_cell__in=cells,
        created_at__gte=at - timedelta(hours=service.duplicate_window_hours),
        created_at__lte=at,
    )
    if exclude_id is not None:
        nearby = nearby.exclude(id=exclude_id)
    scored: list[tuple[ServiceRequest, float]] = []
    for candidate in nearby:
        if candidate.latitude is None or candidate.longitude is None:
            continue
        distance = distance_m(latitude, longitude, candidate.latitude, candidate.longitude)
        if distance > radius:
            continue
        evidence = DuplicateEvidence(
            distance_m=distance,
            age_hours=(at - candidate.created_at).total_seconds() / 3600,
            text_similarity=text_similarity(description, candidate.description),
        )
        scored.append((candidate, duplicate_score(evidence)))
    scored.sort(key=lambda item: (-item[1], item[0].id))
    return scored


def _normalised_tracking_number(tracking_number: str) -> str:
    return tracking_number.strip().upper()


def get_service_request_for_reporter(
    *, tracking_number: str, user: User | AnonymousUser
) -> ServiceRequest:
    """The request with this number if `user` filed it. Raises NotFound for anyone else."""
    if not user.is_authenticated:
        raise NotFound
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(tracking_number=_normalised_tracking_number(tracking_number), reporter_id=user.pk)
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


def get_service_request_to_follow(*, tracking_number: str) -> ServiceRequest:
    """The request to hand to `follow_service_request` (which checks who may follow it).

    Raises NotFound for an unknown number.
    """
    service_request = (
        ServiceRequest.objects.select_related("service")
        .filter(tracking_number=_normalised_tracking_number(tracking_number))
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


def expected_resolution_at(*, tracking_number: str) -> datetime | None:
    """When the city aims to have the request resolved (its SLA due date), if known."""
    return (
        ServiceRequest.objects.filter(tracking_number=_normalised_tracking_number(tracking_number))
        .values_list("due_at", flat=True)
        .first()
    )


def service_requests_for_citizen(*, user: User) -> QuerySet[ServiceRequest]:
    """The requests `user` filed, newest first, with their services loaded."""
    return (
        ServiceRequest.objects.filter(reporter=user)
        .select_related("service")
        .order_by("-created_at", "-id")
    )
