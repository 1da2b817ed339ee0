"""GeoJSON geometries checked and turned into shapely shapes (WGS84 longitude, latitude)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from cityhall.places.errors import RowError

POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeometryError(RowError):
    """A geometry that cannot be used; the message says why, for the person fixing the file."""


@dataclass(frozen=True)
class Boundary:
    """A checked (Multi)Polygon; `was_repaired` when self-intersections had to be resolved."""

    shape: Polygon | MultiPolygon
    was_repaired: bool


def coordinates_problem(latitude: Any, longitude: Any) -> str | None:
    """Why this latitude/longitude pair is not a point on Earth, or None when it is."""
    for value in (latitude, longitude):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return str(_("coordinates must be finite numbers, found %(value)r") % {"value": value})
    if not -90 <= latitude <= 90:
        return str(_("latitude %(value)s is outside -90..90") % {"value": latitude})
    if not -180 <= longitude <= 180:
        return str(_("longitude %(value)s is outside -180..180") % {"value": longitude})
    return None


def _check_position(position: Any) -> None:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3):
        raise GeometryError(
            _("a position must be [longitude, latitude], found %(value).60r") % {"value": position}
        )
    problem = coordinates_problem(position[1], position[0])
    if problem:
        raise GeometryError(problem)


def _check_ring(ring: Any, number: int) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(_("ring %(ring)d needs at least 4 positions") % {"ring": number})
    for position in ring:
        _check_position(position)
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise GeometryError(
            _("ring %(ring)d is not closed (its last position must repeat the first)")
            % {"ring": number}
        )


def _check_polygon_coordinates(polygon: Any) -> None:
    if not isinstance(polygon, list) or not polygon:
        raise GeometryError(_("a polygon needs at least one ring"))
    for number, ring in enumerate(polygon):
        _check_ring(ring, number)


def _geometry_type(geometry: Any) -> str:
    if not isinstance(geometry, dict):
        return str(_("no geometry"))
    return str(geometry.get("type"))


def boundary_from_geojson(geometry: Any) -> Boundary:
    """Check a GeoJSON Polygon or MultiPolygon and return it as a valid shapely shape.

    Raises GeometryError for any other type, malformed or unclosed rings and coordinates
    outside the WGS84 ranges. Self-intersecting rings are resolved with `make_valid`, keeping
    only the polygonal parts; a boundary left with no area raises GeometryError.
    """
    kind = _geometry_type(geometry)
    if kind not in POLYGON_TYPES:
        raise GeometryError(
            _("expected a Polygon or MultiPolygon geometry, found %(type)s") % {"type": kind}
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError(_("the geometry has no coordinates"))
    for polygon in polygons:
        _check_polygon_coordinates(polygon)
    geom = shape(geometry)
    if geom.is_valid:
        return Boundary(shape=geom, was_repaired=False)
    return Boundary(shape=_repaired(geom), was_repaired=True)


def _repaired(geom: BaseGeometry) -> Polygon | MultiPolygon:
    parts = [
        part
        for part in shapely.get_parts(shapely.make_valid(geom))
        if isinstance(part, Polygon | MultiPolygon) and not part.is_empty
    ]
    fixed = shapely.union_all(parts) if parts else None
    if fixed is None or fixed.is_empty or fixed.area == 0:
        raise GeometryError(_("the boundary encloses no area"))
    assert isinstance(fixed, Polygon | MultiPolygon)
    return fixed


def point_from_geojson(geometry: Any) -> tuple[float, float]:
    """Check a GeoJSON Point and return it as (latitude, longitude).

    Raises GeometryError for any other type and for coordinates outside the WGS84 ranges.
    """
    kind = _geometry_type(geometry)
    if kind != "Point":
        raise GeometryError(_("expected a Point geometry, found %(type)s") % {"type": kind})
    position = geometry.get("coordinates")
    _check_position(position)
    return float(position[1]), float(position[0])
