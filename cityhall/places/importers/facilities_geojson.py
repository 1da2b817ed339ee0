"""Facilities from a GeoJSON FeatureCollection of Point features.

Properties: `name_en`, `name_fr` (at least one; the other falls back to it), `kind` (a
Facility.Kind value; "other" when absent), `address`, `phone`, and optionally `id`. A
facility is matched on its id (the feature's `id` or its `id` property) when it has one,
otherwise on its kind and names, so importing the same file again updates in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.places.districting import DistrictLocator
from cityhall.places.errors import ImportFailed, ImportProblem, RowError
from cityhall.places.geometry import point_from_geojson
from cityhall.places.h3cells import cell_for
from cityhall.places.importers.report import ImportReport
from cityhall.places.importers.sources import feature_label, feature_properties, text_property
from cityhall.places.models import Facility

WRITTEN_FIELDS = [
    "name_en", "name_fr", "kind", "address_text", "phone", "latitude", "longitude", "h3_cell",
    "district_id", "source_id",
]  # fmt: skip


def _max_length(field_name: str) -> int:
    field = Facility._meta.get_field(field_name)
    assert isinstance(field, models.CharField)
    return field.max_length or 0


@dataclass(frozen=True)
class FacilityRow:
    values: dict[str, Any]

    @property
    def match_key(self) -> str:
        if self.values["source_id"]:
            return f"id:{self.values['source_id']}"
        return "text:" + "|".join(self.values[key] for key in ("kind", "name_en", "name_fr"))


def _text(properties: dict[str, Any], name: str, field_name: str) -> str:
    value = text_property(properties, name)
    limit = _max_length(field_name)
    if len(value) > limit:
        raise RowError(
            _("%(property)s is longer than %(limit)d characters")
            % {"property": name, "limit": limit}
        )
    return value


def _kind(properties: dict[str, Any]) -> str:
    kind = text_property(properties, "kind") or Facility.Kind.OTHER
    if kind not in Facility.Kind.values:
        raise RowError(
            _("unknown kind %(kind)r (expected one of: %(kinds)s)")
            % {"kind": kind, "kinds": ", ".join(Facility.Kind.values)}
        )
    return kind


def _source_id(feature: dict[str, Any], properties: dict[str, Any]) -> str:
    value = feature.get("id")
    source_id = text_property({"id": value}, "id") or text_property(properties, "id")
    if len(source_id) > _max_length("source_id"):
        raise RowError(_("the id is too long"))
    return source_id


def _parse_feature(feature: Any) -> FacilityRow:
    properties = feature_properties(feature)
    if properties is None:
        raise RowError(_("this is not a GeoJSON Feature"))
    latitude, longitude = point_from_geojson(feature.get("geometry"))
    name_en = _text(properties, "name_en", "name_en")
    name_fr = _text(properties, "name_fr", "name_fr")
    if not name_en and not name_fr:
        raise RowError(_("name_en and name_fr are both missing"))
    values = {
        "name_en": name_en or name_fr,
        "name_fr": name_fr or name_en,
        "kind": _kind(properties),
        "address_text": _text(properties, "address", "address_text"),
        "phone": _text(properties, "phone", "phone"),
        "latitude": latitude,
        "longitude": longitude,
        "h3_cell": cell_for(latitude, longitude),
        "source_id": _source_id(feature, properties),
    }
    return FacilityRow(values=values)


def parse_facilities(features: Sequence[Any]) -> list[FacilityRow]:
    """Check every feature. Raises ImportFailed listing each bad or repeated feature."""
    rows: list[FacilityRow] = []
    problems: list[ImportProblem] = []
    first_feature_for_key: dict[str, int] = {}
    for index, feature in enumerate(features):
        try:
            row = _parse_feature(feature)
        except RowError as error:
            problems.append(ImportProblem(where=feature_label(index), message=str(error)))
            continue
        other = first_feature_for_key.setdefault(row.match_key, index)
        if other != index:
            message = _("this facility repeats feature #%(other)d") % {"other": other}
            problems.append(ImportProblem(where=feature_label(index), message=str(message)))
        rows.append(row)
    if not features:
        problems.append(ImportProblem(where="", message=str(_("the file has no features"))))
    if problems:
        raise ImportFailed(problems)
    return rows


def _existing_facilities() -> dict[str, Facility]:
    # A city has thousands of facilities at most, so one read of them all is cheap.
    return {FacilityRow(values=_current_values(f)).match_key: f for f in Facility.objects.all()}


def _current_values(facility: Facility) -> dict[str, Any]:
    return {field: getattr(facility, field) for field in WRITTEN_FIELDS}


def write_facilities(rows: Sequence[FacilityRow]) -> ImportReport:
    """Create new facilities and update matched ones, each with its district.

    Call inside a transaction.
    """
    district_ids = DistrictLocator.from_database().locate(
        [row.values["latitude"] for row in rows], [row.values["longitude"] for row in rows]
    )
    existing = _existing_facilities()
    to_create: list[Facility] = []
    to_update: list[Facility] = []
    now = timezone.now()
    for row, district_id in zip(rows, district_ids, strict=True):
        values = {**row.values, "district_id": district_id}
        facility = existing.get(row.match_key)
        if facility is None:
            to_create.append(Facility(**values))
        elif _current_values(facility) != values:
            for field, value in values.items():
                setattr(facility, field, value)
            facility.updated_at = now  # bulk_update skips auto_now.
            to_update.append(facility)
    Facility.objects.bulk_create(to_create, batch_size=500)
    Facility.objects.bulk_update(to_update, [*WRITTEN_FIELDS, "updated_at"], batch_size=100)
    return ImportReport(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )
