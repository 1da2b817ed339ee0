"""Loading the city's geography from source files.

A source is read and checked as a whole (every problem is collected, with its CSV line or
feature index), and only then written, in one transaction with its audit record. A file with
any problem raises ImportFailed and changes nothing. Importing the same file again updates
rows in place: districts match on their code, addresses and facilities on their source id
(or, without one, on their text).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from cityhall.core.audit import record_audit_event
from cityhall.places.importers.addresses_csv import parse_addresses, write_addresses
from cityhall.places.importers.districts_geojson import (
    DistrictProperties,
    parse_districts,
    write_districts,
)
from cityhall.places.importers.facilities_geojson import parse_facilities, write_facilities
from cityhall.places.importers.report import ImportReport
from cityhall.places.importers.sources import read_features, read_text

__all__ = ["ImportReport", "import_addresses", "import_districts", "import_facilities"]

Actor = AbstractBaseUser | AnonymousUser | None


def _source_name(source: Path | TextIO) -> str:
    return source.name if isinstance(source, Path) else str(getattr(source, "name", ""))


def import_districts(  # noqa: PLR0913 (one option per property a source may use)
    *,
    source: Path | TextIO,
    actor: Actor,
    name_property: str = "name",
    code_property: str | None = None,
    name_fr_property: str | None = None,
    kind_property: str | None = None,
) -> ImportReport:
    """Import districts from a GeoJSON FeatureCollection of Polygon/MultiPolygon features.

    The `*_property` arguments name the feature properties to read. Without `code_property`,
    the code is the slugified name. A district whose code exists is updated. Boundaries
    with self-intersecting rings are repaired (counted in `ImportReport.repaired`). When
    any boundary changed, every address and facility is given its district again.
    Raises ImportFailed, writing nothing, when any feature has a problem.
    """
    options = DistrictProperties(
        name=name_property, code=code_property, name_fr=name_fr_property, kind=kind_property
    )
    rows = parse_districts(read_features(source), options)
    with transaction.atomic():
        report = write_districts(rows)
        record_audit_event(
            actor=actor,
            action="places.districts_imported",
            target=None,
            data={**report.as_audit_data(), "source": _source_name(source)},
        )
    return report


def import_addresses(*, source: Path | TextIO, actor: Actor) -> ImportReport:
    """Import an address-register CSV (UTF-8, with or without a byte-order mark).

    Each address gets its H3 cell, its district (the smallest district holding the point)
    and its geocoding search key. Raises ImportFailed, writing nothing, when the header
    lacks a required column or any line has a problem.
    """
    rows = parse_addresses(read_text(source))
    with transaction.atomic():
        report = write_addresses(rows)
        record_audit_event(
            actor=actor,
            action="places.addresses_imported",
            target=None,
            data={**report.as_audit_data(), "source": _source_name(source)},
        )
    return report


def import_facilities(*, source: Path | TextIO, actor: Actor) -> ImportReport:
    """Import facilities from a GeoJSON FeatureCollection of Point features.

    Each facility gets its H3 cell and district. Raises ImportFailed, writing nothing, when
    any feature has a problem (wrong geometry, unknown kind, missing names…).
    """
    rows = parse_facilities(read_features(source))
    with transaction.atomic():
        report = write_facilities(rows)
        record_audit_event(
            actor=actor,
            action="places.facilities_imported",
            target=None,
            data={**report.as_audit_data(), "source": _source_name(source)},
        )
    return report
