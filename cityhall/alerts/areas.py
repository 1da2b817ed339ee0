"""An alert's area, however it was given, as one checked shapely geometry (WGS84 lon/lat).

Officers choose districts, draw a polygon or a circle on the map, or upload a GeoJSON file.
Each way ends in an `AlertArea`: a valid (Multi)Polygon inside the city (the union of the
district boundaries plus `CITY_TOLERANCE_M`), with the districts or the circle it came from.
Anything else is refused with a translated `InvalidInput` on the `area` field: a
self-intersecting polygon, an area outside the city, an empty or oversized upload.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely import Point
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from cityhall.alerts.models import Alert
from cityhall.core.errors import InvalidInput
from cityhall.places.geometry import GeometryError, boundary_from_geojson
from cityhall.places.models import District

#: How far (metres) past the outer edge of the districts an area may still reach.
CITY_TOLERANCE_M = 250.0
#: The largest upload read, in bytes, and the most vertices an area may have.
MAX_UPLOAD_BYTES = 2_000_000
MAX_VERTICES = 20_000
#: The largest circle radius (km); a wider one is a whole-city alert, given by districts.
MAX_CIRCLE_RADIUS_KM = 100.0
#: Segments per quarter circle when a circle is turned into a polygon.
CIRCLE_QUAD_SEGMENTS = 16
METRES_PER_DEGREE = 111_320.0

AreaKind = Alert.AreaKind


@dataclass(frozen=True)
class Circle:
    latitude: float
    longitude: float
    radius_km: float


@dataclass(frozen=True)
class AlertArea:
    """A checked area: its shape, how it was given and, when so, its districts or circle."""

    kind: str
    shape: Polygon | MultiPolygon
    districts: tuple[District, ...] = field(default=())
    circle: Circle | None = None

    def geojson(self) -> dict[str, Any]:
        """The shape as a GeoJSON geometry, for `Alert.area`."""
        geometry: dict[str, Any] = json.loads(shapely.to_geojson(self.shape))
        return geometry


def area_error(message: str) -> InvalidInput:
    """The error for a refused area, on the `area` field."""
    return InvalidInput(message, fields={"area": [message]})


def area_from_districts(districts: Iterable[District]) -> AlertArea:
    """The union of the chosen districts' boundaries."""
    chosen = tuple(districts)
    if not chosen:
        raise area_error(_("Choose at least one district."))
    union = shapely.union_all([_checked_polygonal(d.boundary) for d in chosen])
    return AlertArea(AreaKind.DISTRICTS, _polygonal(union), districts=chosen)


def area_from_polygon(geometry: Any) -> AlertArea:
    """A polygon (or multipolygon) drawn on the map, as a GeoJSON geometry."""
    shape = _checked_polygonal(geometry)
    _check_in_city(shape)
    return AlertArea(AreaKind.POLYGON, shape)


def area_from_circle(latitude: float, longitude: float, radius_km: float) -> AlertArea:
    """A circle drawn on the map, turned into a polygon for targeting."""
    for value in (latitude, longitude, radius_km):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise area_error(_("A circle needs a centre and a radius given as numbers."))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise area_error(_("The circle's centre is not a point on Earth."))
    if not 0 < radius_km <= MAX_CIRCLE_RADIUS_KM:
        raise area_error(
            _("The radius must be more than 0 and at most %(max)s km.")
            % {"max": f"{MAX_CIRCLE_RADIUS_KM:g}"}
        )
    plane = _LocalPlane(latitude)
    x, y = plane.to_local_xy(longitude, latitude)
    disc = Point(x, y).buffer(radius_km * 1000, quad_segs=CIRCLE_QUAD_SEGMENTS)
    shape = _polygonal(plane.to_degrees(disc))
    _check_in_city(shape)
    return AlertArea(AreaKind.CIRCLE, shape, circle=Circle(latitude, longitude, radius_km))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def area_from_upload(content: bytes | str) -> AlertArea:
    """An uploaded GeoJSON file: a geometry, a Feature or a FeatureCollection of polygons."""
    raw = content.encode() if isinstance(content, str) else content
    if not raw.strip():
        raise area_error(_("The uploaded file is empty."))
    if len(raw) > MAX_UPLOAD_BYTES:
        raise area_error(
            _("The uploaded file is too large (at most %(max)s MB).")
            % {"max": f"{MAX_UPLOAD_BYTES / 1_000_000:g}"}
        )
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise area_error(_("The uploaded file is not valid GeoJSON.")) from error
    geometries = _geometries_of(document)
    if not geometries:
        raise area_error(_("The uploaded file holds no polygon."))
    shape = _polygonal(shapely.union_all([_checked_polygonal(g) for g in geometries]))
    _check_in_city(shape)
    return AlertArea(AreaKind.UPLOAD, shape)


def _geometries_of(document: Any) -> list[Any]:
    if not isinstance(document, dict):
        raise area_error(_("The uploaded file is not valid GeoJSON."))
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise area_error(_("The uploaded file is not valid GeoJSON."))
        return [g for feature in features for g in _geometries_of(feature)]
    if kind == "Feature":
        geometry = document.get("geometry")
        return [geometry] if geometry is not None else []
    return [document]


def _checked_polygonal(geometry: Any) -> Polygon | MultiPolygon:
    try:
        boundary = boundary_from_geojson(geometry)
    except GeometryError as error:
        raise area_error(
            _("The area is not a usable polygon: %(reason)s") % {"reason": error}
        ) from error
    if boundary.was_repaired:
        raise area_error(_("The polygon crosses itself: redraw it so that its edges do not cross."))
    if shapely.get_num_coordinates(boundary.shape) > MAX_VERTICES:
        raise area_error(
            _("The area has too many points (at most %(max)s).") % {"max": MAX_VERTICES}
        )
    return boundary.shape


def _polygonal(shape: BaseGeometry) -> Polygon | MultiPolygon:
    if not isinstance(shape, Polygon | MultiPolygon) or shape.is_empty or shape.area == 0:
        raise area_error(_("The area encloses no surface."))
    return shape


def city_boundaries() -> list[BaseGeometry]:
    """Every district's boundary as a shapely shape."""
    return [shapely.geometry.shape(b) for b in District.objects.values_list("boundary", flat=True)]


def _check_in_city(shape: BaseGeometry) -> None:
    boundaries = city_boundaries()
    if not boundaries:
        return  # Without districts nothing can be told to be outside the city.
    city = shapely.union_all(boundaries)
    plane = _LocalPlane(city.centroid.y)
    allowed = plane.to_local(city).buffer(CITY_TOLERANCE_M)
    if not allowed.covers(plane.to_local(shape)):
        raise area_error(_("Part of the area lies outside the city."))


class _LocalPlane:
    """A flat plane in metres around a latitude, close enough for tolerances and circles."""

    def __init__(self, latitude: float):
        self.x_scale = METRES_PER_DEGREE * math.cos(math.radians(latitude))

    def to_local_xy(self, longitude: float, latitude: float) -> tuple[float, float]:
        return longitude * self.x_scale, latitude * METRES_PER_DEGREE

    def to_local(self, shape: BaseGeometry) -> BaseGeometry:
        return shapely.transform(shape, self._scale(self.x_scale, METRES_PER_DEGREE))

    def to_degrees(self, shape: BaseGeometry) -> BaseGeometry:
        return shapely.transform(shape, self._scale(1 / self.x_scale, 1 / METRES_PER_DEGREE))

    @staticmethod
    def _scale(x: float, y: float) -> Any:
        factors = np.array([x, y])

        def scale(coordinates: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
            scaled: np.ndarray[Any, Any] = coordinates * factors
            return scaled

        return scale
