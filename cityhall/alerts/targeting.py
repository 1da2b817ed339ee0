"""Which subscribers an alert's area reaches: H3 cells first, exact point checks on the edge.

The area (WGS84 lon/lat) is grown by a margin (`ALERT_AREA_MARGIN_METRES`) on a local plane in
metres. The plane is an affine image of lon/lat around the area's centre, so the grown shape
maps back to lon/lat exactly and "inside the area plus margin" means one and the same shape
everywhere: here, in the benchmark's brute-force check and in the tests.

1. The cells (at the subscribers' resolution) that overlap the grown area, plus one ring
   around them, which absorbs the difference between a cell's straight-edged polygon and
   its true (geodesic) edges.
2. A cell whose polygon lies inside the grown area shrunk by SAFETY_METRES is *inner*: every
   subscriber in it is chosen, by cell, without reading a point.
3. Every other cell is an *edge* cell: its subscribers' points are read and each is tested
   against the grown area (boundary included), in one vectorised call.
So nobody outside the area plus margin is chosen and nobody inside it is missed; the work in
Python is proportional to the subscribers of edge cells, and the rest is an index scan.
Exercise and Test alerts reach only test recipients (`is_test_recipient`). See
docs/alerts-targeting.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import h3
import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from shapely.geometry.base import BaseGeometry

from cityhall.alerts.models import AlertSubscriber

#: Metres per degree of latitude (and of longitude at the equator).
METRES_PER_DEGREE = 111_320.0
#: How far inside the grown area a cell must lie to be taken whole: covers the gap between a
#: cell's straight-edged polygon and its geodesic edges, and the buffer's segment error.
SAFETY_METRES = 2.0
#: Cells per query: keeps each statement's parameter list well within every backend's limit.
CELLS_PER_QUERY = 2000
#: CAP statuses that reach only test recipients.
TEST_STATUSES = frozenset({"Exercise", "Test"})


def area_margin_metres() -> float:
    """`ALERT_AREA_MARGIN_METRES`: how far past an area's edge people are still alerted."""
    return float(settings.ALERT_AREA_MARGIN_METRES)


def subscriber_h3_resolution() -> int:
    """`ALERT_SUBSCRIBER_H3_RESOLUTION`: the resolution subscribers' cells are stored at."""
    return int(settings.ALERT_SUBSCRIBER_H3_RESOLUTION)


def subscriber_cell(latitude: float, longitude: float) -> str:
    """The cell a subscriber at this point is stored under."""
    return str(h3.latlng_to_cell(latitude, longitude, subscriber_h3_resolution()))


@dataclass(frozen=True)
class _Plane:
    """An affine map from lon/lat to metres around a centre (x east, y north)."""

    x_scale: float

    @classmethod
    def around(cls, geometry: BaseGeometry) -> _Plane:
        latitude = geometry.centroid.y if not geometry.is_empty else 0.0
        return cls(x_scale=METRES_PER_DEGREE * math.cos(math.radians(latitude)))

    def to_metres(self, geometry: BaseGeometry) -> BaseGeometry:
        scale = np.array([self.x_scale, METRES_PER_DEGREE])
        return shapely.transform(geometry, lambda xy: xy * scale)

    def to_degrees(self, geometry: BaseGeometry) -> BaseGeometry:
        scale = np.array([self.x_scale, METRES_PER_DEGREE])
        return shapely.transform(geometry, lambda xy: xy / scale)


def grown_area(area: BaseGeometry, margin_m: float) -> BaseGeometry:
    """The area plus every point within `margin_m` metres of it, in lon/lat."""
    plane = _Plane.around(area)
    return plane.to_degrees(plane.to_metres(area).buffer(margin_m))


@dataclass(frozen=True)
class CellCover:
    """The cells an area plus margin touches, split into inner cells and edge cells."""

    grown: BaseGeometry
    inner: frozenset[str]
    edge: frozenset[str]


def _cells_overlapping(grown: BaseGeometry, resolution: int) -> set[str]:
    cells: set[str] = set()
    for polygon in getattr(grown, "geoms", [grown]):
        if polygon.is_empty:
            continue
        shape = h3.geo_to_h3shape(shapely.geometry.mapping(polygon))
        cells.update(h3.h3shape_to_cells_experimental(shape, resolution, contain="overlap"))
    # One ring more: the overlap test sees straight edges, the grid has geodesic ones.
    return {neighbour for cell in cells for neighbour in h3.grid_disk(cell, 1)}


def _cell_polygons(cells: list[str]) -> Any:
    rings = [[(lon, lat) for lat, lon in h3.cell_to_boundary(cell)] for cell in cells]
    return shapely.polygons(rings)


def cover(area: BaseGeometry, *, margin_m: float | None = None) -> CellCover:
    """The inner and edge cells of `area` grown by `margin_m` (default: the setting)."""
    margin = area_margin_metres() if margin_m is None else margin_m
    if margin < 0:
        raise ValueError("The margin cannot be negative.")
    grown = grown_area(area, margin)
    if grown.is_empty:
        return CellCover(grown=grown, inner=frozenset(), edge=frozenset())
    plane = _Plane.around(area)
    safe = plane.to_degrees(plane.to_metres(area).buffer(margin - SAFETY_METRES))
    cells = sorted(_cells_overlapping(grown, subscriber_h3_resolution()))
    shapely.prepare(safe)
    is_inner = (
        shapely.covered_by(_cell_polygons(cells), safe)
        if not safe.is_empty
        else np.zeros(len(cells), dtype=bool)
    )
    inner = frozenset(cell for cell, inside in zip(cells, is_inner, strict=True) if inside)
    return CellCover(grown=grown, inner=inner, edge=frozenset(cells) - inner)


def _chunks(cells: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(cells)
    for start in range(0, len(ordered), CELLS_PER_QUERY):
        yield ordered[start : start + CELLS_PER_QUERY]


def _subscriber_query(columns: str, cells: list[str], *, tests_only: bool) -> tuple[str, list[Any]]:
    table = connection.ops.quote_name(AlertSubscriber._meta.db_table)
    placeholders = ", ".join(["%s"] * len(cells))
    test_filter = " AND is_test_recipient = %s" if tests_only else ""
    sql = (
        f"SELECT {columns} FROM {table} WHERE confirmed_at IS NOT NULL"  # noqa: S608 (a model's table name and fixed column lists)  # nosec B608
        f"{test_filter} AND h3_cell IN ({placeholders})"
    )
    return sql, ([True] if tests_only else []) + cells


def _inner_ids(cells: frozenset[str], *, tests_only: bool) -> list[int]:
    # PostgreSQL sends the ids as one array: a million rows of one id each cost more to
    # fetch and unpack than the same ids in one value.
    is_postgres = connection.vendor == "postgresql"
    found: list[int] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(cells):
            columns = "array_agg(id)" if is_postgres else "id"
            cursor.execute(*_subscriber_query(columns, chunk, tests_only=tests_only))
            rows = cursor.fetchall()
            found += (rows[0][0] or []) if is_postgres else [row[0] for row in rows]
    return found


def _edge_ids(cells: frozenset[str], grown: BaseGeometry, *, tests_only: bool) -> list[int]:
    rows: list[tuple[int, float, float]] = []
    with connection.cursor() as cursor:
        for chunk in _chunks(cells):
            sql, params = _subscriber_query("id, longitude, latitude", chunk, tests_only=tests_only)
            cursor.execute(sql, params)
            rows += cursor.fetchall()
    if not rows:
        return []
    points = np.array(rows, dtype=float)
    shapely.prepare(grown)
    # intersects_xy counts a point on the boundary as inside (contains_xy would not).
    inside = shapely.intersects_xy(grown, points[:, 1], points[:, 2])
    ids: list[int] = points[inside, 0].astype(np.int64).tolist()
    return ids


def recipients_in(
    area: BaseGeometry, *, tests_only: bool = False, margin_m: float | None = None
) -> list[int]:
    """The ids of the confirmed subscribers in `area` plus the margin, in ascending order.

    `tests_only` keeps only test recipients (Exercise and Test alerts).
    """
    found = cover(area, margin_m=margin_m)
    ids = _inner_ids(found.inner, tests_only=tests_only)
    ids += _edge_ids(found.edge, found.grown, tests_only=tests_only)
    ids.sort()
    return ids


def reaches_only_test_recipients(status: str) -> bool:
    """Whether an alert of this CAP status goes to test recipients only."""
    return status in TEST_STATUSES
