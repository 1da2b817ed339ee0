"""Reads for the GeoReport v2 API. Requests come out as Open311Request only.

An Open311Request holds no reporter, contact, device, account, description, answers or
address, and the point of a sensitive service's request is coarsened, the same as
`servicerequests.selectors.get_public_service_request` does for the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

import orjson
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cityhall.accounts.models import PartnerOrganisation
from cityhall.catalog.models import Language, Service, ServiceField
from cityhall.core.errors import NotFound
from cityhall.open311.catalog_names import CatalogNames, catalog_names
from cityhall.open311.local_time import parse_utc, w3c
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


class Open311Step(NamedTuple):
    """One public step of a request's timeline; `updated_datetime` is W3C, in the city's zone."""

    status: str
    note: str
    updated_datetime: str


class Open311Request(NamedTuple):
    """What GeoReport v2 GET answers show of a request: nothing personal, nothing free-form.

    Sensitive services' points are coarsened and their media_url left out. Date-times are W3C
    text in the city's zone; `updated_datetime` counts the public timeline too. `agency` is
    the department the request was routed to. `last_note` is the timeline's last public note
    that is not blank; `steps` is the whole public timeline, when it was asked for.
    """

    tracking_number: str
    service_code: str
    service_name: str
    status: str
    status_label: str
    agency: str
    assigned_partner: str
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None
    latitude: float | None
    longitude: float | None
    media_url: str
    last_note: str
    steps: list[Open311Step]


@dataclass(frozen=True)
class RequestPage:
    """Public records, newest first, and the latest change they show (None if there are none)."""

    records: list[Open311Request]
    last_modified: datetime | None


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
    *, filters: RequestFilters, offset: int, limit: int, timeline: bool = False
) -> RequestPage:
    """Requests matching `filters`, newest first, as public records (with their `steps` if
    `timeline`).

    Raises NotFound naming any service code no service has (unless tracking numbers are
    given: they make every other filter ignored). One query, joining nothing: the page's ids
    are chosen in a subquery, from indexes alone where they cover the filters (by service:
    `(service_id, created_at, id)`), and only the page's rows are read, with their public
    timeline as one JSON array each. Free text and contact columns never leave the database;
    catalog names come from `catalog_names` (one more query per page only for requests
    assigned to partners).
    """
    names = catalog_names()
    where, params = _where(filters, names)
    with connection.cursor() as cursor:
        cursor.execute(_page_sql(where, connection.vendor), [*params, limit, offset])
        rows = cursor.fetchall()
    if names.lacks({row[2] for row in rows}, {row[3] for row in rows}):
        names = catalog_names(refresh=True)
    public = _Public(
        names=names,
        partners=_partner_names({row[4] for row in rows if row[4] is not None}),
        labels=_status_labels(get_language()),
        french=get_language() == Language.FRENCH,
        timeline=timeline,
    )
    records = [public.record(row) for row in rows]
    return RequestPage(records, parse_utc(public.latest) if records else None)


def get_public_service_request(tracking_number: str, *, timeline: bool = False) -> RequestPage:
    """The request with this tracking number as a page of one public record; NotFound if none."""
    filters = RequestFilters([tracking_number], [], [], None, None, None, None)
    page = public_service_requests(filters=filters, offset=0, limit=1, timeline=timeline)
    if not page.records:
        raise NotFound(_("Unknown service_request_id %(id)s.") % {"id": tracking_number})
    return page


_REQUESTS = ServiceRequest._meta.db_table
_STEPS = StatusChange._meta.db_table

#: Each request's public steps, oldest first, as a JSON array of [status, note, UTC text].
#: Date-times are read as text: `local_time` formats them far faster than the driver parses.
#: PostgreSQL writes that text in UTC under Django's session time zone and the default
#: DateStyle ("ISO, MDY"), which CityHall keeps.
#: (The only names formatted into SQL here are the models' own table names.)
_STEPS_SQL = {
    "postgresql": (
        "(SELECT CAST(json_agg(json_build_array(s.to_status, s.public_note,"  # noqa: S608  # nosec B608
        " CAST(s.created_at AS text)) ORDER BY s.created_at, s.id) AS text)"
        f" FROM {_STEPS} s WHERE s.service_request_id = r.id AND s.is_public)"
    ),
    "sqlite": (
        "(SELECT json_group_array(json_array(s.to_status, s.public_note, s.created_at))"  # noqa: S608  # nosec B608
        f" FROM (SELECT to_status, public_note, created_at FROM {_STEPS}"
        " WHERE service_request_id = r.id AND is_public ORDER BY created_at, id) s)"
    ),
}


def _page_sql(where: str, vendor: str) -> str:
    # `where` is made of the fixed conditions of `_where`, with placeholders for the values.
    return (
        "SELECT r.tracking_number, r.status, r.service_id, r.department_id,"  # noqa: S608  # nosec B608
        " r.assigned_partner_id, r.latitude, r.longitude, r.media_url,"
        " CAST(r.created_at AS text), CAST(r.updated_at AS text), CAST(r.due_at AS text), "
        f"{_STEPS_SQL[vendor]} FROM {_REQUESTS} r WHERE r.id IN (SELECT id FROM {_REQUESTS}"
        f" WHERE {where} ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s)"
        " ORDER BY r.created_at DESC, r.id DESC"
    )


def _where(filters: RequestFilters, names: CatalogNames) -> tuple[str, list[Any]]:
    if filters.tracking_numbers:
        # GeoReport v2: with service_request_id, every other parameter is ignored.
        numbers = [number.upper() for number in filters.tracking_numbers]
        return f"tracking_number IN ({_placeholders(numbers)})", numbers
    conditions: list[str] = []
    params: list[Any] = []
    if filters.service_codes:
        # The ids themselves, not a join on the code: with them, the planner knows how many
        # rows each service has and picks an index by service for the rare ones.
        ids = _service_ids(filters.service_codes, names)
        conditions.append(f"service_id IN ({_placeholders(ids)})")
        params.extend(ids)
    if filters.statuses:
        conditions.append(f"status IN ({_placeholders(filters.statuses)})")
        params.extend(filters.statuses)
    bounds = (
        ("created_at >= %s", filters.created_from),
        ("created_at <= %s", filters.created_to),
        ("updated_at >= %s", filters.updated_from),
        ("updated_at <= %s", filters.updated_to),
    )
    for condition, moment in bounds:
        if moment is not None:
            conditions.append(condition)
            params.append(connection.ops.adapt_datetimefield_value(moment))
    return " AND ".join(conditions) or "TRUE", params


def _placeholders(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _service_ids(codes: list[str], names: CatalogNames) -> list[int]:
    if any(code not in names.service_ids for code in codes):
        names = catalog_names(refresh=True)  # created since the table was read?
    unknown = [code for code in codes if code not in names.service_ids]
    if unknown:
        # A mistyped code would otherwise look like a service nobody reports to.
        raise NotFound(_("Unknown service_code %(code)s.") % {"code": ", ".join(unknown)})
    return sorted({names.service_ids[code] for code in codes})


def _partner_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(PartnerOrganisation.objects.filter(id__in=ids).values_list("id", "name"))


@lru_cache(maxsize=8)
def _status_labels(language: str) -> dict[str, str]:
    """Each platform status's label in `language` (the active one, which the key names)."""
    return {status: str(label) for status, label in ServiceRequest.Status.choices}


_OPEN_STATUSES = ServiceRequest.OPEN_STATUSES


class _Public:
    """Turns the page query's rows into public records, keeping the latest change seen."""

    def __init__(
        self,
        *,
        names: CatalogNames,
        partners: dict[int, str],
        labels: dict[str, str],
        french: bool,
        timeline: bool,
    ) -> None:
        self.services = names.services
        self.departments = names.departments
        self.partners = partners
        self.labels = labels
        self.french = french
        self.timeline = timeline
        #: The latest change (database UTC text) of the rows read so far.
        self.latest = ""

    def record(self, row: tuple[Any, ...]) -> Open311Request:
        (tracking_number, status, service_id, department_id, partner_id, latitude,
         longitude, media_url, created_at, updated_at, due_at, steps_json) = row  # fmt: skip
        service = self.services[service_id]
        if service.is_sensitive and latitude is not None and longitude is not None:
            latitude = round(latitude, COARSE_DECIMALS)
            longitude = round(longitude, COARSE_DECIMALS)
        last_note = ""
        steps = []
        if steps_json:
            for step_status, note, at in orjson.loads(steps_json):
                # Texts of one format in UTC: the greatest is the latest.
                updated_at = max(updated_at, at)
                if note.strip():
                    last_note = note
                if self.timeline:
                    steps.append(Open311Step(step_status, note, w3c(at)))
        self.latest = max(self.latest, updated_at)
        agency_en, agency_fr = self.departments[department_id]
        return Open311Request(
            tracking_number,
            service.code,
            service.name_fr if self.french else service.name_en,
            status,
            self.labels[status],
            agency_fr if self.french else agency_en,
            self.partners.get(partner_id, "") if partner_id is not None else "",
            w3c(created_at),
            w3c(updated_at),
            # The SLA due date, which the portal's status page shows too; settled requests
            # have none.
            w3c(due_at) if due_at is not None and status in _OPEN_STATUSES else None,
            latitude,
            longitude,
            # A photo of a sensitive service's request could show where it is.
            "" if service.is_sensitive else media_url,
            last_note,
            steps,
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
