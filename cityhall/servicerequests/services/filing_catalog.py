"""What a filing reads from the catalog and the districts, kept in this process for seconds.

Every filing checks its answers against the service's fields, finds the district holding
its point and routes the request by the service's rules. Fields and rules are kept per
service (and its `updated_at`), the districts' shapes for all services, for
`CATALOG_SECONDS`, and forgotten at once when a catalog or district row is saved or deleted
in this process (see `process_cache`): an edit made elsewhere applies to new filings within
that delay.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cityhall.catalog.models import (
    Department,
    RoutingRule,
    Service,
    ServiceField,
    ServiceFieldChoice,
)
from cityhall.catalog.selectors import route_service_request_target
from cityhall.places.cityarea import CityArea
from cityhall.places.districting import DistrictLocator, boundary_shape
from cityhall.places.models import District
from cityhall.servicerequests.services.process_cache import ProcessCache

#: How long (seconds) a catalog change made in another process may go unseen by filings; as
#: long as Open311 answers are cached (open311.caching.ENTRY_TIMEOUT).
CATALOG_SECONDS = 60.0

_CATALOG_MODELS = (Service, ServiceField, ServiceFieldChoice, RoutingRule, Department, District)

_ServiceVersion = tuple[int, datetime]


@dataclass(frozen=True)
class _Form:
    fields: tuple[ServiceField, ...]
    #: The field codes the service's routing rules look at.
    routing_codes: tuple[str, ...]
    #: Whether any of its routing rules names a district.
    routes_by_district: bool


_forms: ProcessCache[_ServiceVersion, _Form] = ProcessCache(
    seconds=CATALOG_SECONDS, models=_CATALOG_MODELS
)
# One entry per service, district and answers its rules look at: room for every district
# of a city's services.
_routes: ProcessCache[tuple[Any, ...], Department] = ProcessCache(
    seconds=CATALOG_SECONDS, models=_CATALOG_MODELS, max_entries=10_000
)


@dataclass(frozen=True)
class _Map:
    locator: DistrictLocator
    #: Without their boundaries, which the locator holds as prepared shapes.
    districts: dict[int, District]
    area: CityArea


_maps: ProcessCache[None, _Map] = ProcessCache(seconds=CATALOG_SECONDS, models=(District,))


def district_at(latitude: float, longitude: float) -> District | None:
    """The district holding the point (the smallest, where districts nest), or None."""
    current = _maps.get(None, _load_map)
    (district_id,) = current.locator.locate([latitude], [longitude])
    return current.districts.get(district_id) if district_id is not None else None


def is_in_city_area(latitude: float, longitude: float) -> bool:
    """Whether the point is in the city's area (see `places.cityarea`).

    True when no district is known: without them, no point can be told to be outside.
    """
    area = _maps.get(None, _load_map).area
    return area.is_empty or area.covers(latitude, longitude)


def _load_map() -> _Map:
    shapes = [
        (district_id, boundary_shape(boundary))
        for district_id, boundary in District.objects.values_list("id", "boundary")
    ]
    return _Map(
        DistrictLocator(shapes),
        District.objects.defer("boundary").in_bulk(),
        CityArea(shape for _district_id, shape in shapes),
    )


def form_fields(service: Service) -> tuple[ServiceField, ...]:
    """The service's fields with their choices loaded, for `clean_answers`."""
    return _form(service).fields


def routed_department(
    service: Service, *, district: District | None, answers: Mapping[str, Any]
) -> Department:
    """`catalog.selectors.route_service_request_target`'s answer, remembered.

    That answer depends only on the service's rules, the district (when a rule names one)
    and the answers to the fields its rules look at, which together make the key: a service
    without rules has one entry.
    """
    form = _form(service)
    looked_at = tuple(_hashable(answers.get(code)) for code in form.routing_codes)
    place = district.pk if district is not None and form.routes_by_district else None
    key = (*_version(service), place, looked_at)
    return _routes.get(
        key, lambda: route_service_request_target(service, district=district, answers=answers)
    )


def _form(service: Service) -> _Form:
    return _forms.get(_version(service), lambda: _load_form(service))


def _load_form(service: Service) -> _Form:
    fields = tuple(service.fields.prefetch_related("choices"))
    rules = list(
        RoutingRule.objects.filter(service=service).values_list("field_code", "district_id")
    )
    codes = sorted({code for code, _district in rules if code})
    return _Form(fields, tuple(codes), any(district is not None for _code, district in rules))


def _version(service: Service) -> _ServiceVersion:
    return (service.pk, service.updated_at)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value
