"""Districts from a GeoJSON FeatureCollection of Polygon and MultiPolygon features.

A district is matched on its code, so importing the same file again updates in place.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from cityhall.places.districting import DistrictLocator
from cityhall.places.errors import ImportFailed, ImportProblem, RowError
from cityhall.places.geometry import boundary_from_geojson
from cityhall.places.importers.report import ImportReport
from cityhall.places.importers.sources import feature_label, feature_properties, text_property
from cityhall.places.models import Address, District, Facility

CODE_MAX_LENGTH = District._meta.get_field("code").max_length or 60
NAME_MAX_LENGTH = District._meta.get_field("name").max_length or 200
KIND_MAX_LENGTH = District._meta.get_field("kind").max_length or 60
#: Ids per UPDATE, under SQLite's historical limit of 999 query parameters.
UPDATE_CHUNK = 900
WRITTEN_FIELDS = [
    "name", "name_fr", "kind", "boundary", "min_latitude", "min_longitude", "max_latitude",
    "max_longitude", "centroid_latitude", "centroid_longitude",
]  # fmt: skip


@dataclass(frozen=True)
class DistrictProperties:
    """Which feature properties hold the name, code, French name and kind."""

    name: str = "name"
    code: str | None = None
    name_fr: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class DistrictRow:
    code: str
    values: dict[str, Any]
    was_repaired: bool


def _code_for(properties: dict[str, Any], options: DistrictProperties, name: str) -> str:
    if options.code is None:
        source = name
    else:
        source = text_property(properties, options.code)
        if not source:
            raise RowError(_("the code property %(name)r is missing") % {"name": options.code})
    code = slugify(unidecode(source))[:CODE_MAX_LENGTH].strip("-")
    if not code:
        raise RowError(_("no code can be made from %(value)r") % {"value": source})
    return code


def _check_name(name: str, options: DistrictProperties) -> None:
    if not name:
        raise RowError(_("the name property %(name)r is missing") % {"name": options.name})
    if len(name) > NAME_MAX_LENGTH:
        raise RowError(
            _("the name is longer than %(limit)d characters") % {"limit": NAME_MAX_LENGTH}
        )


def _parse_feature(feature: Any, options: DistrictProperties) -> DistrictRow:
    properties = feature_properties(feature)
    if properties is None:
        raise RowError(_("this is not a GeoJSON Feature"))
    boundary = boundary_from_geojson(feature.get("geometry"))
    name = text_property(properties, options.name)
    _check_name(name, options)
    geom = boundary.shape
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centroid = geom.centroid
    stored = (
        json.loads(shapely.to_geojson(geom))
        if boundary.was_repaired
        else {
            "type": feature["geometry"]["type"],
            "coordinates": feature["geometry"]["coordinates"],
        }
    )
    values = {
        "name": name,
        "name_fr": text_property(properties, options.name_fr)[:NAME_MAX_LENGTH],
        "kind": text_property(properties, options.kind)[:KIND_MAX_LENGTH],
        "boundary": stored,
        "min_latitude": min_lat,
        "min_longitude": min_lon,
        "max_latitude": max_lat,
        "max_longitude": max_lon,
        "centroid_latitude": centroid.y,
        "centroid_longitude": centroid.x,
    }
    return DistrictRow(
        code=_code_for(properties, options, name), values=values, was_repaired=boundary.was_repaired
    )


def parse_districts(features: Sequence[Any], options: DistrictProperties) -> list[DistrictRow]:
    """Check every feature. Raises ImportFailed listing each bad feature and repeated code."""
    rows: list[DistrictRow] = []
    problems: list[ImportProblem] = []
    first_feature_for_code: dict[str, int] = {}
    for index, feature in enumerate(features):
        try:
            row = _parse_feature(feature, options)
        except RowError as error:
            problems.append(ImportProblem(where=feature_label(index), message=str(error)))
            continue
        if row.code in first_feature_for_code:
            message = _("the code %(code)r is already used by feature #%(other)d") % {
                "code": row.code,
                "other": first_feature_for_code[row.code],
            }
            problems.append(ImportProblem(where=feature_label(index), message=str(message)))
        first_feature_for_code.setdefault(row.code, index)
        rows.append(row)
    if not features:
        problems.append(ImportProblem(where="", message=str(_("the file has no features"))))
    if problems:
        raise ImportFailed(problems)
    return rows


def write_districts(rows: Sequence[DistrictRow]) -> ImportReport:
    """Create new districts and update those whose code exists. Call inside a transaction.

    When any boundary changed, every address and facility is given its district again, so
    points imported before their districts get one.
    """
    existing = District.objects.in_bulk([row.code for row in rows], field_name="code")
    to_create: list[District] = []
    to_update: list[District] = []
    now = timezone.now()
    for row in rows:
        district = existing.get(row.code)
        if district is None:
            to_create.append(District(code=row.code, **row.values))
        elif any(getattr(district, field) != value for field, value in row.values.items()):
            for field, value in row.values.items():
                setattr(district, field, value)
            # bulk_update skips auto_now; the boundary cache is keyed on this timestamp.
            district.updated_at = now
            to_update.append(district)
    District.objects.bulk_create(to_create, batch_size=200)
    District.objects.bulk_update(to_update, [*WRITTEN_FIELDS, "updated_at"], batch_size=50)
    if to_create or to_update:
        locator = DistrictLocator.from_database()
        _reassign_districts(Address, locator)
        _reassign_districts(Facility, locator)
    return ImportReport(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
        repaired=sum(row.was_repaired for row in rows),
    )


def _reassign_districts(model: type[Address] | type[Facility], locator: DistrictLocator) -> None:
    points = list(model.objects.values_list("id", "latitude", "longitude", "district_id"))
    found = locator.locate([point[1] for point in points], [point[2] for point in points])
    moves: dict[int | None, list[int]] = defaultdict(list)
    for (point_id, _latitude, _longitude, current), district_id in zip(points, found, strict=True):
        if current != district_id:
            moves[district_id].append(point_id)
    now = timezone.now()
    for district_id, point_ids in moves.items():
        for start in range(0, len(point_ids), UPDATE_CHUNK):
            model.objects.filter(id__in=point_ids[start : start + UPDATE_CHUNK]).update(
                district_id=district_id, updated_at=now
            )
