"""The city's area: where a request may be located, the union of its districts plus a margin.

The margin forgives a point dropped just past the city limit (a street on the edge, a
position a few hundred metres off), while a point in another town or on the other side
of the globe is refused. Shapes are kept on a local plane in metres, so that the margin
means the same distance in every direction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from shapely import Point
from shapely.geometry.base import BaseGeometry

#: How far (metres) past the outer edge of its districts a point still counts as in the city.
CITY_MARGIN_M = 1000.0
#: Metres per degree of latitude (and of longitude at the equator), close enough for a margin.
METRES_PER_DEGREE = 111_320.0
#: The edge is simplified to this (metres) before the margin is added: far finer than it.
EDGE_TOLERANCE_M = 20.0


class CityArea:
    """The union of district boundaries grown by `margin_m`; `covers` answers point queries."""

    def __init__(self, boundaries: Iterable[BaseGeometry], *, margin_m: float = CITY_MARGIN_M):
        shapes = list(boundaries)
        union = shapely.union_all(shapes) if shapes else Point()
        centre = union.centroid if not union.is_empty else Point(0, 0)
        self._x_scale = METRES_PER_DEGREE * math.cos(math.radians(centre.y))
        local = shapely.transform(union, self._to_local)
        self._area = local.simplify(EDGE_TOLERANCE_M).buffer(margin_m)
        shapely.prepare(self._area)

    @property
    def is_empty(self) -> bool:
        """Whether no district is known, so that no point can be judged."""
        return bool(self._area.is_empty)

    def covers(self, latitude: float, longitude: float) -> bool:
        """Whether the point lies in a district or within the margin around them."""
        x, y = longitude * self._x_scale, latitude * METRES_PER_DEGREE
        return bool(self._area.covers(Point(x, y)))

    def _to_local(self, coordinates: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        scaled: np.ndarray[Any, Any] = coordinates * np.array([self._x_scale, METRES_PER_DEGREE])
        return scaled
