"""The street network: a slightly bent, slightly rotated grid, named the way Québec towns are.

Every fourth line of the grid is an artery (boulevard, chemin, rang…) that keeps its French
name from one end of the city to the other and bridges the river. The other lines are cut by
the river and take a new name in each district they cross, English in English-speaking
districts, as streets in older towns do.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString

from cityhall.demo.generator.geography import (
    RIVER_HALF_WIDTH_KM,
    GeneratedDistrict,
    generate_boundary,
    generate_districts,
    generate_river,
)
from cityhall.demo.generator.names import (
    ARTERIES,
    ENGLISH_STREET_KINDS,
    ENGLISH_STREET_SPECIFICS,
    FRENCH_STREET_KINDS,
    FRENCH_STREET_SPECIFICS,
)

ARTERY_EVERY = 4
#: Street pieces shorter than this (km) are slivers at district edges, not streets.
SHORTEST_STREET_KM = 0.08


@dataclass(frozen=True)
class GeneratedStreet:
    """A named street; `lines` are its pieces (the river may cut it), on the local km plane."""

    name: str
    is_artery: bool
    lines: tuple[Any, ...]


@dataclass(frozen=True)
class Ground:
    """Everything addresses stand on, on the local km plane."""

    boundary: Any
    river: Any
    districts: tuple[GeneratedDistrict, ...]
    streets: tuple[GeneratedStreet, ...]


def generate_ground(rng: random.Random) -> Ground:
    """Boundary, river, districts and streets, drawn in that order from `rng`."""
    boundary = generate_boundary(rng)
    river = generate_river(rng, boundary)
    districts = generate_districts(rng, boundary, river)
    streets = generate_streets(rng, boundary, river, districts)
    return Ground(boundary, river, districts, streets)


def generate_streets(
    rng: random.Random, boundary: Any, river: Any, districts: Sequence[GeneratedDistrict]
) -> tuple[GeneratedStreet, ...]:
    """The city's streets, in a stable order (arteries first)."""
    grid = _grid_lines(rng)
    arteries = list(ARTERIES)
    rng.shuffle(arteries)
    french = _street_names(rng, FRENCH_STREET_SPECIFICS, FRENCH_STREET_KINDS, set(ARTERIES), "fr")
    english = _street_names(rng, ENGLISH_STREET_SPECIFICS, ENGLISH_STREET_KINDS, set(), "en")
    river_bed = river.buffer(RIVER_HALF_WIDTH_KM * 1.5)
    streets: list[GeneratedStreet] = []
    local: list[GeneratedStreet] = []
    for index, line in enumerate(grid):
        inside = line.intersection(boundary)
        if index % ARTERY_EVERY == 0 and arteries:
            pieces = _line_pieces(inside)
            if pieces:
                streets.append(GeneratedStreet(arteries.pop(), True, pieces))
            continue
        banks = inside.difference(river_bed)
        for district in districts:
            pieces = _line_pieces(banks.intersection(district.shape))
            if pieces:
                names = english if district.language == "en" else french
                local.append(GeneratedStreet(next(names), False, pieces))
    return (*streets, *local)


def _grid_lines(rng: random.Random) -> list[Any]:
    """Two families of parallel lines, rotated together, each line gently bent."""
    rotation = math.radians(rng.uniform(-25, 25))
    span = 7.0
    lines = []
    for spacing, across in ((rng.uniform(0.22, 0.28), False), (rng.uniform(0.3, 0.4), True)):
        bend = rng.uniform(0.03, 0.12)
        wavelength = rng.uniform(2.5, 5.0)
        phase = rng.uniform(0, 2 * math.pi)
        along = np.linspace(-span, span, 80)
        for offset in np.arange(-span, span, spacing):
            sideways = offset + bend * np.sin(2 * math.pi * along / wavelength + phase + offset)
            u, v = (along, sideways) if across else (sideways, along)
            x = u * math.cos(rotation) - v * math.sin(rotation)
            y = u * math.sin(rotation) + v * math.cos(rotation)
            lines.append(LineString(np.column_stack([x, y])))
    return lines


def _line_pieces(geometry: Any) -> tuple[Any, ...]:
    parts = shapely.get_parts(shapely.line_merge(geometry) if not geometry.is_empty else geometry)
    pieces = [
        part
        for part in parts
        if part.geom_type == "LineString" and part.length >= SHORTEST_STREET_KM
    ]
    return tuple(pieces)


def _street_names(
    rng: random.Random,
    specifics: Sequence[str],
    kinds: Sequence[tuple[str, int]],
    taken: set[str],
    language: str,
) -> Iterator[str]:
    """Endless unique street names: each specific first with its likeliest kind, then others."""
    preferred = list(specifics)
    rng.shuffle(preferred)
    kind_names = [kind for kind, _ in kinds]
    weights = [weight for _, weight in kinds]
    first_pass = [(specific, rng.choices(kind_names, weights)[0]) for specific in preferred]
    second_pass = [(specific, kind) for specific in preferred for kind in kind_names]
    rng.shuffle(second_pass)
    for round_number in range(1, 1000):
        for specific, kind in (*first_pass, *second_pass):
            name = f"{specific} {kind}" if language == "en" else f"{kind} {specific}"
            if round_number > 1:
                name = f"{name} {_cardinal(round_number, language)}"
            if name not in taken:
                taken.add(name)
                yield name
    raise RuntimeError("the street name lists are exhausted")


def _cardinal(round_number: int, language: str) -> str:
    english = ("North", "South", "East", "West")
    french = ("Nord", "Sud", "Est", "Ouest")
    words = english if language == "en" else french
    return words[(round_number - 2) % len(words)]
