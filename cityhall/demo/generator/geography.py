"""The demo city's ground: boundary, river, districts and streets.

Shapes are built on a local plane in kilometres (x east, y north of the city centre) so that
distances mean something, and converted to WGS84 longitude/latitude with `to_lonlat` when
they leave the generator.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.ops import voronoi_diagram

from cityhall.demo.generator.names import DISTRICTS, POSTAL_AREAS
from cityhall.demo.generator.text import slugify

#: The city centre: farmland between the Assomption and St. Lawrence rivers, in no real town.
CENTRE_LATITUDE = 45.935
CENTRE_LONGITUDE = -73.365
KM_PER_DEGREE_LATITUDE = 111.2
KM_PER_DEGREE_LONGITUDE = 111.32 * math.cos(math.radians(CENTRE_LATITUDE))

#: Half-widths of the city, in km (east-west, north-south).
CITY_RADII = (4.6, 3.3)
RIVER_HALF_WIDTH_KM = 0.04


@dataclass(frozen=True)
class GeneratedDistrict:
    """A district: its names, common language, postal area and shape (local km plane)."""

    code: str
    official_name: str
    name_en: str
    name_fr: str
    language: str
    postal_area: str
    shape: Any


def to_lonlat(geometry: Any) -> Any:
    """The same geometry with local km coordinates turned into (longitude, latitude)."""
    return shapely.transform(geometry, _km_to_lonlat_array)


def km_to_latitude_longitude(x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) of a point on the local km plane, rounded to about 10 cm."""
    latitude = CENTRE_LATITUDE + y / KM_PER_DEGREE_LATITUDE
    longitude = CENTRE_LONGITUDE + x / KM_PER_DEGREE_LONGITUDE
    return round(latitude, 6), round(longitude, 6)


def _km_to_lonlat_array(coordinates: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    scale = np.array([1 / KM_PER_DEGREE_LONGITUDE, 1 / KM_PER_DEGREE_LATITUDE])
    result: np.ndarray[Any, Any] = coordinates * scale + np.array(
        [CENTRE_LONGITUDE, CENTRE_LATITUDE]
    )
    return result


def generate_boundary(rng: random.Random) -> Any:
    """An irregular oval of about 45 km², its edge wobbling like surveyed lot lines."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    points = []
    steps = 48
    for step in range(steps):
        angle = 2 * math.pi * step / steps
        wobble = (
            1
            + 0.09 * math.sin(2 * angle + phases[0])
            + 0.05 * math.sin(3 * angle + phases[1])
            + 0.03 * math.sin(5 * angle + phases[2])
            + rng.uniform(-0.015, 0.015)
        )
        points.append(
            (CITY_RADII[0] * wobble * math.cos(angle), CITY_RADII[1] * wobble * math.sin(angle))
        )
    return Polygon(points)


def generate_river(rng: random.Random, boundary: Any) -> Any:
    """The rivière aux Saules: a meander crossing the city from west to east."""
    offset = rng.uniform(-0.8, 0.2)
    span = CITY_RADII[0] * 1.4
    xs = np.linspace(-span, span, 240)
    ys = np.full_like(xs, offset)
    # Two bends of different lengths make meanders that do not repeat like a wave.
    for amplitude, wavelength in ((rng.uniform(0.3, 0.6), rng.uniform(5.0, 8.0)),
                                  (rng.uniform(0.1, 0.25), rng.uniform(1.5, 2.5))):  # fmt: skip
        ys += amplitude * np.sin(2 * math.pi * xs / wavelength + rng.uniform(0, 2 * math.pi))
    return LineString(np.column_stack([xs, ys])).intersection(boundary.buffer(0.3))


def generate_districts(
    rng: random.Random, boundary: Any, river: Any
) -> tuple[GeneratedDistrict, ...]:
    """8 to 12 districts tiling the boundary: Voronoi cells of well-spread seed points.

    The first district, the historic port, grows around the river crossing nearest the centre.
    """
    count = rng.randint(8, 12)
    seeds = _district_seeds(rng, boundary, river, count)
    cells = shapely.get_parts(voronoi_diagram(MultiPoint(seeds), envelope=boundary.buffer(2)))
    entries = _district_entries(rng, count)
    districts = []
    for seed, entry in zip(seeds, entries, strict=True):
        point = Point(seed)
        cell = next(cell for cell in cells if cell.contains(point))
        official, english, french, language = entry
        districts.append(
            GeneratedDistrict(
                code=f"ras-{slugify(official)}",
                official_name=official,
                name_en=english,
                name_fr=french,
                language=language,
                postal_area=POSTAL_AREAS[DISTRICTS.index(entry)],
                shape=shapely.normalize(cell.intersection(boundary)),
            )
        )
    return tuple(districts)


def _district_seeds(
    rng: random.Random, boundary: Any, river: Any, count: int
) -> list[tuple[float, float]]:
    port = river.interpolate(river.project(Point(0, 0)))
    seeds = [(port.x, port.y)]
    spacing = math.sqrt(boundary.area / count) * 0.75
    inner = boundary.buffer(-0.4)
    min_x, min_y, max_x, max_y = inner.bounds
    while len(seeds) < count:
        candidate = (rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if not inner.contains(Point(candidate)):
            continue
        if all(math.dist(candidate, seed) >= spacing for seed in seeds):
            seeds.append(candidate)
        else:
            spacing *= 0.995  # keeps the loop finite however the dice fall
    return seeds


def _district_entries(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    others = list(DISTRICTS[1:])
    rng.shuffle(others)
    chosen = others[: count - 1]
    if not any(entry[3] == "en" for entry in chosen):
        # Every demo city has an English-speaking district, as most Québec towns near Ontario do.
        chosen[-1] = next(entry for entry in others if entry[3] == "en")
    return [DISTRICTS[0], *chosen]
