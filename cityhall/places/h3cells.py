"""H3 cells of points: every stored point carries the cell that contains it."""

from __future__ import annotations

import math

import h3
from django.conf import settings

EARTH_RADIUS_M = 6_371_008.8


def h3_resolution() -> int:
    """The resolution points are indexed at (`CITYHALL_H3_RESOLUTION`), read at call time."""
    return int(settings.CITYHALL_H3_RESOLUTION)


def cell_for(latitude: float, longitude: float) -> str:
    """Return the H3 cell (at the configured resolution) that contains the point.

    Stored cells keep the resolution they were computed at: after changing
    `CITYHALL_H3_RESOLUTION`, re-import the addresses and facilities so that
    `selectors.nearest_address` finds them.
    """
    return str(h3.latlng_to_cell(latitude, longitude, h3_resolution()))


def rings_to_cover(cell: str, distance_m: float) -> int:
    """How many rings around `cell` hold every point within `distance_m` of any point in it.

    A point lies at most one edge from its cell's centre, and the centre of a cell k rings
    away lies at least 1.5 k edges from the first centre. Edge lengths drift slowly across
    the grid, so the local edge with a 10 % margin stands in for neighbouring cells' edges.
    """
    edges_m: list[float] = [
        h3.edge_length(edge, unit="m") for edge in h3.origin_to_directed_edges(cell)
    ]
    longest, shortest = max(edges_m) * 1.1, min(edges_m) * 0.9
    return max(1, math.ceil((distance_m + 2 * longest) / (1.5 * shortest)))


def cells_in_ring(cell: str, k: int) -> set[str]:
    """The cells exactly `k` steps from `cell` (pentagon-safe, unlike `h3.grid_ring`)."""
    if k == 0:
        return {cell}
    return set(h3.grid_disk(cell, k)) - set(h3.grid_disk(cell, k - 1))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance between two points, in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
