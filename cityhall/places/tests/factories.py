"""Factories for places: districts (square boundaries), addresses and facilities."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import factory

from cityhall.places.addresstext import search_key_for
from cityhall.places.h3cells import cell_for
from cityhall.places.models import Address, District, Facility


def square_boundary(*, south: float, west: float, size: float) -> dict[str, Any]:
    """A GeoJSON Polygon: the square of `size` degrees whose south-west corner is given."""
    north, east = south + size, west + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


class DistrictFactory(factory.django.DjangoModelFactory):
    """A square district; pass `south`, `west` and `size` (degrees) to place it."""

    class Meta:
        model = District

    class Params:
        south = 45.50
        west = -73.60
        size = 0.02

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"District {n}")
    boundary = factory.LazyAttribute(
        lambda o: square_boundary(south=o.south, west=o.west, size=o.size)
    )
    min_latitude = factory.SelfAttribute("south")
    min_longitude = factory.SelfAttribute("west")
    max_latitude = factory.LazyAttribute(lambda o: o.south + o.size)
    max_longitude = factory.LazyAttribute(lambda o: o.west + o.size)
    centroid_latitude = factory.LazyAttribute(lambda o: o.south + o.size / 2)
    centroid_longitude = factory.LazyAttribute(lambda o: o.west + o.size / 2)


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    civic_number = factory.Sequence(lambda n: str(100 + n))
    street_name = "Rue des Érables"
    latitude = 45.51
    longitude = -73.59
    h3_cell = factory.LazyAttribute(lambda o: cell_for(o.latitude, o.longitude))
    search_key = factory.LazyAttribute(
        lambda o: search_key_for(
            civic_number=o.civic_number, street_name=o.street_name, unit=o.unit
        )
    )
    unit = ""


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name_en = factory.Sequence(lambda n: f"Library {n}")
    name_fr = factory.Sequence(lambda n: f"Bibliothèque {n}")
    kind = Facility.Kind.LIBRARY
    latitude = 45.51
    longitude = -73.59
    h3_cell = factory.LazyAttribute(lambda o: cell_for(o.latitude, o.longitude))


def polygon_feature(properties: dict[str, Any], *, south: float = 45.50, west: float = -73.60,
                    size: float = 0.02) -> dict[str, Any]:  # fmt: skip
    """A GeoJSON Feature whose geometry is a square Polygon."""
    geometry = square_boundary(south=south, west=west, size=size)
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def point_feature(properties: dict[str, Any], *, latitude: float = 45.51,
                  longitude: float = -73.59) -> dict[str, Any]:  # fmt: skip
    """A GeoJSON Feature whose geometry is a Point."""
    geometry = {"type": "Point", "coordinates": [longitude, latitude]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def feature_collection(*features: dict[str, Any]) -> io.StringIO:
    """An in-memory GeoJSON FeatureCollection, as the importers read it."""
    return io.StringIO(json.dumps({"type": "FeatureCollection", "features": list(features)}))


ADDRESS_COLUMNS = [
    "id", "civic_number", "street_name", "unit", "postal_code", "municipality", "latitude",
    "longitude",
]  # fmt: skip


def address_register(*rows: dict[str, Any], columns: list[str] | None = None) -> io.StringIO:
    """An in-memory address-register CSV; each row gives some columns, the rest are empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or ADDRESS_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out
