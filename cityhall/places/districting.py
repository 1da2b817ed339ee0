"""Which district holds a point: in bulk for importers, one at a time for selectors."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from cityhall.places.models import District


def boundary_shape(boundary: Any) -> BaseGeometry:
    """A stored GeoJSON boundary as a prepared shapely shape (fast repeated `contains`)."""
    geom = shape(boundary)
    shapely.prepare(geom)
    return geom


class DistrictLocator:
    """Assigns many points to districts at once; a point in nested districts gets the smallest."""

    def __init__(self, districts: Iterable[tuple[int, BaseGeometry]]):
        self._districts = sorted(districts, key=lambda item: item[1].area)

    @classmethod
    def from_database(cls) -> DistrictLocator:
        rows = District.objects.values_list("id", "boundary")
        return cls((district_id, boundary_shape(boundary)) for district_id, boundary in rows)

    def locate(self, latitudes: Sequence[float], longitudes: Sequence[float]) -> list[int | None]:
        """The id of the district holding each point, or None outside every district."""
        found: list[int | None] = [None] * len(latitudes)
        if not self._districts or not found:
            return found
        lats = np.asarray(latitudes, dtype=float)
        lons = np.asarray(longitudes, dtype=float)
        unassigned = np.ones(len(found), dtype=bool)
        for district_id, geom in self._districts:
            inside = shapely.contains_xy(geom, lons, lats) & unassigned
            for position in np.flatnonzero(inside):
                found[int(position)] = district_id
            unassigned &= ~inside
        return found


class PreparedBoundaryCache:
    """Prepared district shapes for this process, rebuilt when a district's `updated_at` moves.

    Importers set `updated_at` on every changed district, so a stale shape is never used
    once the new row is read. Safe to share between threads.
    """

    def __init__(self) -> None:
        self._shapes: dict[int, tuple[datetime, BaseGeometry]] = {}
        self._lock = threading.Lock()

    def shape_for(self, district: District) -> BaseGeometry:
        """The prepared boundary of `district` (reads `district.boundary` only on a miss)."""
        with self._lock:
            cached = self._shapes.get(district.pk)
        if cached is not None and cached[0] == district.updated_at:
            return cached[1]
        geom = boundary_shape(district.boundary)
        with self._lock:
            self._shapes[district.pk] = (district.updated_at, geom)
        return geom

    def clear(self) -> None:
        with self._lock:
            self._shapes.clear()


#: The one cache of this process, used by `selectors.district_for_point`.
prepared_boundaries = PreparedBoundaryCache()
