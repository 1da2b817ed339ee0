"""Reads for the GeoReport v2 API. Requests come out as Open311Request only.

An Open311Request holds no reporter, contact, device, account, description, answers or
address, and the point of a sensitive service's request is coarsened, the same as
`servicerequests.selectors.get_public_service_request` does for the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from django.db.models import CharField, Prefetch, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cityhall.catalog.models import Language, Service, ServiceField
from cityhall.core.errors import NotFound
from cityhall.places.models import Address
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.selectors import COARSE_DECIMALS


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


@dataclass(frozen=True, slots=True)
class Open311Step:
    """One public step of a request's timeline."""

    status: str
    note: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Open311Request:
    """What GeoReport v2 GET answers show of a request: nothing personal, nothing free-form.

    Sensitive services' points are coarsened and their media_url left out. `updated_at`
    counts the public timeline too. `agency` is the department the request was routed to.
    """

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    status_label: str
    agency: str
    assigned_partner: str
    submitted_at: datetime
    updated_at: datetime
    expected_at: datetime | None
    latitude: float | None
    longitude: float | None
    media_url: str
    steps: list[Open311Step]


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
        raise NotFound(_("Unknown service_code %(code)s.") % {"code": code})
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
) -> list[Open311Request]:
    """Requests matching `filters`, newest first, as public records.

    Raises NotFound naming any service code no service has (unless tracking numbers are
    given: they make every other filter ignored). Two queries (three with service codes):
    the page's ids are chosen in a subquery, from indexes alone where they cover the filters
    (by service: `(service_id, created_at, id)`), and only the page's rows are read, as
    tuples of the public columns: a page holds up to 1000 requests, and neither free text
    nor contact columns need to leave the database.
    """
    page = (
        _filtered(ServiceRequest.objects.all(), filters)
        .order_by("-created_at", "-id")
        .values("id")[offset : offset + limit]
    )
    # The page stays a subquery: a list of up to 1000 ids would be bound one by one.
    rows = list(
        ServiceRequest.objects.filter(id__in=page)
        .order_by("-created_at", "-id")
        .values_list(*_PUBLIC_COLUMNS)
    )
    steps = _public_steps(page) if rows else {}
    labels = {status: str(label) for status, label in ServiceRequest.Status.choices}
    french = get_language() == Language.FRENCH
    return [_public(row, steps.get(row[0], []), labels, french=french) for row in rows]


def get_public_service_request(tracking_number: str) -> Open311Request:
    """The request with this tracking number as a public record; NotFound if none."""
    filters = RequestFilters([tracking_number], [], [], None, None, None, None)
    records = public_service_requests(filters=filters, offset=0, limit=1)
    if not records:
        raise NotFound(_("Unknown service_request_id %(id)s.") % {"id": tracking_number})
    return records[0]


def _as_text(column: str) -> Cast:
    """A date-time column read as text, for `_moment` to parse.

    The database driver's time-zone-aware parser costs about ten times more than
    `datetime.fromisoformat` (written in C), and a page holds a few thousand date-times.
    PostgreSQL writes ISO 8601 under its default DateStyle ("ISO, MDY"), which CityHall keeps.
    """
    return Cast(column, output_field=CharField())


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    # PostgreSQL writes the offset; SQLite keeps UTC without one.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


#: The columns a public record is made of, in the order `_public` reads them.
_PUBLIC_COLUMNS = (
    "id",
    "tracking_number",
    "status",
    _as_text("created_at"),
    _as_text("updated_at"),
    _as_text("due_at"),
    "latitude",
    "longitude",
    "media_url",
    "service__code",
    "service__name_en",
    "service__name_fr",
    "service__is_sensitive",
    "department__name_en",
    "department__name_fr",
    "assigned_partner__name",
)


def _public_steps(page: QuerySet[ServiceRequest, Any]) -> dict[int, list[Open311Step]]:
    steps: dict[int, list[Open311Step]] = {}
    rows = (
        StatusChange.objects.filter(service_request_id__in=page, is_public=True)
        .order_by("created_at", "id")
        .values_list("service_request_id", "to_status", "public_note", _as_text("created_at"))
    )
    for request_id, status, note, at in rows:
        steps.setdefault(request_id, []).append(Open311Step(status, note, _moment(at)))
    return steps


def _filtered(
    queryset: QuerySet[ServiceRequest], filters: RequestFilters
) -> QuerySet[ServiceRequest]:
    if filters.tracking_numbers:
        # GeoReport v2: with service_request_id, every other parameter is ignored.
        return queryset.filter(tracking_number__in=[n.upper() for n in filters.tracking_numbers])
    if filters.service_codes:
        # The ids themselves, not a join on the code: with them, the planner knows how many
        # rows each service has and picks an index by service for the rare ones.
        queryset = queryset.filter(service_id__in=_service_ids(filters.service_codes))
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    bounds = {
        "created_at__gte": filters.created_from,
        "created_at__lte": filters.created_to,
        "updated_at__gte": filters.updated_from,
        "updated_at__lte": filters.updated_to,
    }
    return queryset.filter(**{name: value for name, value in bounds.items() if value is not None})


def _service_ids(codes: list[str]) -> list[int]:
    # Withdrawn services count: their requests remain.
    ids = dict(Service.objects.filter(code__in=codes).order_by().values_list("code", "id"))
    unknown = [code for code in codes if code not in ids]
    if unknown:
        # A mistyped code would otherwise look like a service nobody reports to.
        raise NotFound(_("Unknown service_code %(code)s.") % {"code": ", ".join(unknown)})
    return list(ids.values())


def _public(
    row: tuple[Any, ...], steps: list[Open311Step], labels: dict[str, str], *, french: bool
) -> Open311Request:
    (_id, tracking_number, status, created_at, updated_at, due_at, latitude, longitude,
     media_url, code, name_en, name_fr, is_sensitive, agency_en, agency_fr,
     partner) = row  # fmt: skip
    if is_sensitive and latitude is not None and longitude is not None:
        latitude, longitude = round(latitude, COARSE_DECIMALS), round(longitude, COARSE_DECIMALS)
    is_open = status in ServiceRequest.OPEN_STATUSES
    return Open311Request(
        tracking_number=tracking_number,
        service_code=code,
        service_name=name_fr if french else name_en,
        status=status,
        status_label=labels[status],
        agency=agency_fr if french else agency_en,
        assigned_partner=partner or "",
        submitted_at=_moment(created_at),
        updated_at=max([_moment(updated_at), *(step.at for step in steps)]),
        # The SLA due date, which the portal's status page shows too; settled requests have none.
        expected_at=_moment(due_at) if is_open and due_at is not None else None,
        latitude=latitude,
        longitude=longitude,
        # A photo of a sensitive service's request could show where it is.
        media_url="" if is_sensitive else media_url,
        steps=steps,
    )


def tracking_number_for_token(token: str) -> str:
    """The tracking number of the Open311 submission whose token this is; NotFound if none."""
    try:
        public_id = UUID(token)
    except ValueError:
        raise NotFound(_("Unknown token %(token)s.") % {"token": token}) from None
    tracking_number = (
        ServiceRequest.objects.filter(public_id=public_id, channel=ServiceRequest.Channel.OPEN311)
        .values_list("tracking_number", flat=True)
        .first()
    )
    if tracking_number is None:
        raise NotFound(_("Unknown token %(token)s.") % {"token": token})
    return tracking_number


def get_address_point(address_id: str) -> AddressPoint:
    """The register address with this source identifier; NotFound if none."""
    address = Address.objects.filter(source_id=address_id).order_by("id").first()
    if address is None or not address_id:
        raise NotFound
    text = " ".join(part for part in (address.civic_number, address.street_name) if part)
    return AddressPoint(address.latitude, address.longitude, text)
