"""Reads for the GeoReport v2 API. Requests come out as PublicServiceRequest only.

A PublicServiceRequest holds no reporter, contact, description, answers or address, and the
point of a sensitive service's request is coarsened, the same as
`servicerequests.selectors.get_public_service_request` does for one request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from cityhall.catalog.models import Service, ServiceField
from cityhall.core.errors import NotFound
from cityhall.places.models import Address
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.selectors import (
    COARSE_DECIMALS,
    PublicServiceRequest,
    PublicTimelineStep,
)


@dataclass(frozen=True)
class RequestFilters:
    """What `public_service_requests` keeps; empty lists and None mean "any"."""

    tracking_numbers: list[str]
    service_codes: list[str]
    statuses: list[str]
    created_from: datetime | None
    created_to: datetime | None
    updated_from: datetime | None
    updated_to: datetime | None


@dataclass(frozen=True)
class AddressPoint:
    latitude: float
    longitude: float
    text: str


def services_for_open311() -> list[Service]:
    """Listed services that take requests, with their public fields prefetched as `fields`."""
    public_fields = ServiceField.objects.filter(is_private=False).prefetch_related("choices")
    return list(
        Service.objects.filter(is_active=True, accepts_requests=True)
        .select_related("topic")
        .prefetch_related(Prefetch("fields", queryset=public_fields))
        .order_by("code")
    )


def get_service_for_open311(code: str) -> Service:
    """The listed service taking requests with this service_code; NotFound otherwise.

    Its `fields` are prefetched without the private ones.
    """
    service = _services_by_code(code).first()
    if service is None:
        raise NotFound
    return service


def get_service_for_open311_submission(code: str) -> Service:
    """The listed service taking requests with this service_code; NotFound otherwise.

    Unlike `get_service_for_open311`, its fields (private ones included) are left to
    `clean_answers` to load, so that every channel checks answers against the same form.
    """
    service = Service.objects.filter(code=code, is_active=True, accepts_requests=True).first()
    if service is None:
        raise NotFound
    return service


def _services_by_code(code: str) -> QuerySet[Service]:
    public_fields = ServiceField.objects.filter(is_private=False).prefetch_related("choices")
    return (
        Service.objects.filter(code=code, is_active=True, accepts_requests=True)
        .select_related("topic")
        .prefetch_related(Prefetch("fields", queryset=public_fields))
    )


def is_open_status(status: str) -> bool:
    """Whether a request in this platform status is "open" in GeoReport v2 terms."""
    return status in ServiceRequest.OPEN_STATUSES


def platform_statuses(*, open_: bool, closed: bool) -> list[str]:
    """The platform statuses that GeoReport v2's "open" and/or "closed" stand for."""
    statuses = ServiceRequest.Status.values
    return sorted(
        s for s in statuses if (open_ and is_open_status(s)) or (closed and not is_open_status(s))
    )


def public_service_requests(
    *, filters: RequestFilters, offset: int, limit: int
) -> list[PublicServiceRequest]:
    """Requests matching `filters`, newest first, as public records (two queries)."""
    queryset = _filtered(ServiceRequest.objects.all(), filters)
    public_steps = StatusChange.objects.filter(is_public=True).order_by("created_at", "id")
    rows = (
        queryset.select_related("service", "district")
        .prefetch_related(Prefetch("status_changes", queryset=public_steps))
        .order_by("-created_at", "-id")[offset : offset + limit]
    )
    return [_public(row) for row in rows]


def _filtered(
    queryset: QuerySet[ServiceRequest], filters: RequestFilters
) -> QuerySet[ServiceRequest]:
    if filters.tracking_numbers:
        # GeoReport v2: with service_request_id, every other parameter is ignored.
        return queryset.filter(tracking_number__in=[n.upper() for n in filters.tracking_numbers])
    if filters.service_codes:
        queryset = queryset.filter(service__code__in=filters.service_codes)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    bounds = {
        "created_at__gte": filters.created_from,
        "created_at__lte": filters.created_to,
        "updated_at__gte": filters.updated_from,
        "updated_at__lte": filters.updated_to,
    }
    return queryset.filter(**{name: value for name, value in bounds.items() if value is not None})


def _public(row: ServiceRequest) -> PublicServiceRequest:
    latitude, longitude = row.latitude, row.longitude
    if row.service.is_sensitive and latitude is not None and longitude is not None:
        latitude, longitude = round(latitude, COARSE_DECIMALS), round(longitude, COARSE_DECIMALS)
    return PublicServiceRequest(
        tracking_number=row.tracking_number,
        service_code=row.service.code,
        service_name=row.service.name,
        status=row.status,
        status_label=str(row.get_status_display()),
        submitted_at=row.created_at,
        updated_at=row.updated_at,
        district_name=row.district.display_name if row.district else "",
        latitude=latitude,
        longitude=longitude,
        timeline=[
            PublicTimelineStep(step.to_status, step.public_note, step.created_at)
            for step in row.status_changes.all()
        ],
    )


def tracking_number_for_token(token: str) -> str:
    """The tracking number of the Open311 submission whose token this is; NotFound if none."""
    try:
        public_id = UUID(token)
    except ValueError:
        raise NotFound from None
    tracking_number = (
        ServiceRequest.objects.filter(public_id=public_id, channel=ServiceRequest.Channel.OPEN311)
        .values_list("tracking_number", flat=True)
        .first()
    )
    if tracking_number is None:
        raise NotFound
    return tracking_number


def get_address_point(address_id: str) -> AddressPoint:
    """The register address with this source identifier; NotFound if none."""
    address = Address.objects.filter(source_id=address_id).order_by("id").first()
    if address is None or not address_id:
        raise NotFound
    text = " ".join(part for part in (address.civic_number, address.street_name) if part)
    return AddressPoint(address.latitude, address.longitude, text)
