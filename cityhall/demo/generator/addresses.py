"""Civic addresses: lots on both sides of every street, numbered and given postal codes.

Numbers grow along the street, odd on one side and even on the other, by about four per lot
as in Québec towns. Some buildings are plexes or apartment blocks whose units share the
civic number; the old port has more of them. Postal codes follow Canada Post's pattern
(letter digit letter, digit letter digit), one code per side of each block.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from cityhall.demo.generator.geography import (
    RIVER_HALF_WIDTH_KM,
    GeneratedDistrict,
    km_to_latitude_longitude,
)
from cityhall.demo.generator.names import POSTAL_LETTERS
from cityhall.demo.generator.streets import GeneratedStreet, Ground

LOT_WIDTH_KM = 0.018
SETBACK_KM = 0.012
#: Lots this close (km) to the city limit are left empty, so every address is inside a district.
EDGE_MARGIN_KM = 0.01


@dataclass(frozen=True)
class GeneratedAddress:
    """One civic address (a unit of a building, when `unit` is set), in WGS84."""

    source_id: str
    civic_number: str
    street_name: str
    unit: str
    postal_code: str
    latitude: float
    longitude: float
    district_code: str


@dataclass(frozen=True)
class _Lot:
    street_index: int
    number: int
    x: float
    y: float
    district_index: int


def generate_addresses(
    rng: random.Random,
    *,
    count: int,
    ground: Ground,
) -> tuple[GeneratedAddress, ...]:
    """`count` addresses (fewer only if the streets run out of lots), sorted by street."""
    districts, streets = ground.districts, ground.streets
    lots = _lots(streets, ground.boundary.buffer(-EDGE_MARGIN_KM), ground.river, districts)
    order = list(range(len(lots)))
    rng.shuffle(order)
    chosen: list[tuple[_Lot, int]] = []
    remaining = count
    for index in order:
        if remaining <= 0:
            break
        lot = lots[index]
        units = min(_unit_count(rng, is_old_port=lot.district_index == 0), remaining)
        chosen.append((lot, units))
        remaining -= units
    chosen.sort(key=lambda item: (item[0].street_index, item[0].number))
    postal_codes = _PostalCodes(rng)
    addresses: list[GeneratedAddress] = []
    for lot, units in chosen:
        district = districts[lot.district_index]
        street_name = streets[lot.street_index].name
        postal_code = postal_codes.code_for(district.postal_area, street_name, lot.number)
        latitude, longitude = km_to_latitude_longitude(lot.x, lot.y)
        for unit in range(1, units + 1) if units > 1 else [0]:
            addresses.append(
                GeneratedAddress(
                    source_id=f"ras-{len(addresses) + 1:06d}",
                    civic_number=str(lot.number),
                    street_name=street_name,
                    unit=str(unit) if unit else "",
                    postal_code=postal_code,
                    latitude=latitude,
                    longitude=longitude,
                    district_code=district.code,
                )
            )
    return tuple(addresses)


def _unit_count(rng: random.Random, *, is_old_port: bool) -> int:
    roll = rng.random()
    if is_old_port and roll < 0.3:
        return rng.randint(4, 12)
    if roll < 0.12:
        return rng.randint(2, 3)  # duplexes and triplexes
    return 1


def _lots(
    streets: Sequence[GeneratedStreet],
    buildable: Any,
    river: Any,
    districts: Sequence[GeneratedDistrict],
) -> list[_Lot]:
    """Every lot on both sides of every street, inside the city and out of the river."""
    shapely.prepare(buildable)
    river_bank = river.buffer(RIVER_HALF_WIDTH_KM + SETBACK_KM / 2)
    shapely.prepare(river_bank)
    for district in districts:
        shapely.prepare(district.shape)
    lots: list[_Lot] = []
    for street_index, street in enumerate(streets):
        start = 0.0
        for line in street.lines:
            numbers, xs, ys = _lots_along(line, start_km=start)
            start += line.length + LOT_WIDTH_KM
            keep = shapely.contains_xy(buildable, xs, ys) & ~shapely.contains_xy(river_bank, xs, ys)
            district_of = _district_indexes(districts, xs, ys)
            for number, x, y, district_index, kept in zip(
                numbers, xs, ys, district_of, keep, strict=True
            ):
                if kept and district_index >= 0:
                    lots.append(_Lot(street_index, int(number), float(x), float(y), district_index))
    return lots


def _lots_along(line: Any, *, start_km: float) -> tuple[Any, Any, Any]:
    """Civic numbers and positions of the lots on both sides of one line."""
    per_side = max(int(line.length / LOT_WIDTH_KM) - 1, 0)
    distances = (np.arange(per_side) + 1) * LOT_WIDTH_KM
    here = shapely.get_coordinates(shapely.line_interpolate_point(line, distances))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(line, distances + 0.001))
    direction = ahead - here
    length = np.hypot(direction[:, 0], direction[:, 1])
    length[length == 0] = 1
    normal = np.column_stack([-direction[:, 1], direction[:, 0]]) / length[:, None]
    # About four numbers per 18 m lot: 12, 16, 20… on the even side, 13, 17, 21… on the odd.
    even = 10 + 2 * np.round((start_km + distances) * 1000 / 9).astype(int)
    numbers = np.concatenate([even, even + 1])
    points = np.concatenate([here + normal * SETBACK_KM, here - normal * SETBACK_KM])
    return numbers, points[:, 0], points[:, 1]


def _district_indexes(districts: Sequence[GeneratedDistrict], xs: Any, ys: Any) -> Any:
    """For each point, the index of the district it falls in, or -1."""
    result = np.full(len(xs), -1)
    for index, district in enumerate(districts):
        inside = shapely.contains_xy(district.shape, xs, ys) & (result < 0)
        result[inside] = index
    return result


class _PostalCodes:
    """Hands out one postal code per side of each block, unique within its sortation area."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._by_block: dict[tuple[str, str, int, int], str] = {}
        self._used: set[str] = set()

    def code_for(self, area: str, street_name: str, number: int) -> str:
        key = (area, street_name, number % 2, number // 200)
        if key not in self._by_block:
            self._by_block[key] = self._new_code(area)
        return self._by_block[key]

    def _new_code(self, area: str) -> str:
        while True:
            local = (
                f"{self._rng.randint(0, 9)}{self._rng.choice(POSTAL_LETTERS)}"
                f"{self._rng.randint(0, 9)}"
            )
            code = f"{area} {local}"
            if code not in self._used:
                self._used.add(code)
                return code
