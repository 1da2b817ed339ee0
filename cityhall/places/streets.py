"""Streets drawn from the address register: each street's line, and points along it.

The register holds points, not street geometry. Civic numbers grow along a street, and a
number faces a close number across it (even on one side, odd on the other), so the
addresses of a street ordered by number trace its line: averaging each pair of numbers
(12 and 13, 14 and 15…) puts the line between the two sides. A long stretch without any
address (a river, a park, a gap in the register) breaks the line rather than bridging it.

The same ordered numbers place a civic number the register lacks: between the two known
numbers closest to it on the same side of the street, in proportion to the numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Count, Max
from shapely import LineString

from cityhall.places.h3cells import distance_m
from cityhall.places.models import Address

_LEADING_NUMBER = re.compile(r"^\s*([0-9]+)")

#: A street's line is broken where two successive points are farther apart than this.
MAX_GAP_M = 350.0
#: Lines are simplified to within about this many degrees (about 8 m).
SIMPLIFY_DEGREES = 0.00008
#: How many points on each side are averaged with each point of a line.
SMOOTHING_NEIGHBOURS = 2


@dataclass(frozen=True)
class KnownNumber:
    """A civic number of a street with its point (units of one building count once)."""

    number: int
    civic_number: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class StreetLine:
    """A street's name and its line, in pieces of (latitude, longitude) points."""

    name: str
    pieces: tuple[tuple[tuple[float, float], ...], ...]

    def middle(self) -> tuple[float, float]:
        """(latitude, longitude) of the point halfway along the street's longest piece."""
        longest = max(self.pieces, key=_piece_length)
        if len(longest) == 1:
            return longest[0]
        line = LineString([(lon, lat) for lat, lon in longest])
        point = line.interpolate(0.5, normalized=True)
        return point.y, point.x


def civic_number_value(civic_number: str) -> int | None:
    """The number a civic number starts with ("12B" → 12), or None for one without digits."""
    match = _LEADING_NUMBER.match(civic_number)
    return int(match.group(1)) if match else None


def known_numbers(street_name: str) -> list[KnownNumber]:
    """The street's civic numbers in ascending order, one point per number."""
    rows = (
        Address.objects.filter(street_name=street_name)
        .order_by()
        .values_list("civic_number", "latitude", "longitude")
    )
    return _known_numbers(rows)


def _known_numbers(rows: Iterable[tuple[str, float, float]]) -> list[KnownNumber]:
    found: dict[int, KnownNumber] = {}
    for civic_number, latitude, longitude in rows:
        number = civic_number_value(civic_number)
        if number is not None and number not in found:
            found[number] = KnownNumber(number, civic_number, latitude, longitude)
    return [found[number] for number in sorted(found)]


def interpolated_point(
    numbers: Sequence[KnownNumber], number: int
) -> tuple[KnownNumber, KnownNumber, float, float] | None:
    """Where `number` would stand, between the closest known numbers below and above it.

    Numbers on the same side of the street (same parity) are preferred; the other side is
    used when one side lacks a number below or above. Returns the two numbers used and the
    (latitude, longitude) found, or None when the street has no number on both sides of it.
    """
    same_side = [known for known in numbers if known.number % 2 == number % 2]
    for candidates in (same_side, numbers):
        below = [known for known in candidates if known.number < number]
        above = [known for known in candidates if known.number > number]
        if below and above:
            low, high = below[-1], above[0]
            share = (number - low.number) / (high.number - low.number)
            latitude = low.latitude + share * (high.latitude - low.latitude)
            longitude = low.longitude + share * (high.longitude - low.longitude)
            return low, high, latitude, longitude
    return None


def street_line(name: str, numbers: Sequence[KnownNumber]) -> StreetLine | None:
    """The street's line through its ordered numbers, or None for a street without any."""
    if not numbers:
        return None
    # Each pair of numbers facing each other (12 and 13) gives one point between the sides.
    pairs: dict[int, list[KnownNumber]] = defaultdict(list)
    for known in numbers:
        pairs[known.number // 2].append(known)
    centre = [
        (
            sum(k.latitude for k in pair) / len(pair),
            sum(k.longitude for k in pair) / len(pair),
        )
        for _key, pair in sorted(pairs.items())
    ]
    pieces: list[list[tuple[float, float]]] = [[centre[0]]]
    for point in centre[1:]:
        if distance_m(*pieces[-1][-1], *point) > MAX_GAP_M:
            pieces.append([])
        pieces[-1].append(point)
    return StreetLine(name=name, pieces=tuple(_simplified(_smoothed(piece)) for piece in pieces))


def register_version() -> str:
    """A string that changes whenever the address register does (for caches of its streets)."""
    version = Address.objects.aggregate(count=Count("id"), last=Max("updated_at"))
    last = version["last"].timestamp() if version["last"] else 0
    return f"{version['count']}.{last}"


def street_lines() -> list[StreetLine]:
    """Every street of the register, by name, each with its line."""
    by_street: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    rows = Address.objects.order_by().values_list(
        "street_name", "civic_number", "latitude", "longitude"
    )
    for street_name, civic_number, latitude, longitude in rows.iterator(chunk_size=5000):
        by_street[street_name].append((civic_number, latitude, longitude))
    lines = (street_line(name, _known_numbers(rows)) for name, rows in sorted(by_street.items()))
    return [line for line in lines if line is not None]


def _smoothed(piece: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Each point averaged with its neighbours, ends kept: a point with a number on one
    side only is off the middle of the street, and its neighbours pull it back."""
    if len(piece) < 3:
        return piece
    reach = SMOOTHING_NEIGHBOURS
    smoothed = [piece[0]]
    for index in range(1, len(piece) - 1):
        window = piece[max(0, index - reach) : index + reach + 1]
        smoothed.append(
            (
                sum(lat for lat, _lon in window) / len(window),
                sum(lon for _lat, lon in window) / len(window),
            )
        )
    smoothed.append(piece[-1])
    return smoothed


def _simplified(piece: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    if len(piece) < 3:
        return tuple(piece)
    line = LineString([(lon, lat) for lat, lon in piece]).simplify(SIMPLIFY_DEGREES)
    return tuple((lat, lon) for lon, lat in line.coords)


def _piece_length(piece: Sequence[tuple[float, float]]) -> float:
    return sum(distance_m(*a, *b) for a, b in pairwise(piece))
