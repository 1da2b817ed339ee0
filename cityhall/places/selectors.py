"""Reading the city's geography: geocoding, reverse geocoding and lookups.

Everything here is public data (the address register, district boundaries, facilities),
so these selectors take no actor and audit nothing.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import F
from rapidfuzz import fuzz
from shapely import Point

from cityhall.core.errors import InvalidInput
from cityhall.places.addresstext import (
    StreetReading,
    canonical_words,
    civic_number_variants,
    parse_query,
    street_core,
)
from cityhall.places.districting import prepared_boundaries
from cityhall.places.geometry import coordinates_problem
from cityhall.places.h3cells import cell_for, cells_in_ring, distance_m, rings_to_cover
from cityhall.places.models import Address, District

#: At most this many addresses sharing a civic number are scored (any of them, unordered).
MAX_CANDIDATES = 5000
#: Matches scoring below this (0 to 100) are not returned.
MIN_SCORE = 70.0
#: The longest reach of `nearest_address`, which bounds the H3 rings it reads.
MAX_NEAREST_DISTANCE_M = 5000.0


@dataclass(frozen=True)
class GeocodeMatch:
    """One address matching a geocoding query, with its similarity score (0 to 100)."""

    address: Address
    score: float

    @property
    def latitude(self) -> float:
        return self.address.latitude

    @property
    def longitude(self) -> float:
        return self.address.longitude


@lru_cache(maxsize=50_000)
def _street_forms(street_name: str) -> tuple[str, str]:
    # Street names repeat across many addresses and queries; fold each one once.
    words = canonical_words(street_name)
    return " ".join(words), street_core(words)


def _street_score(readings: tuple[StreetReading, ...], street_name: str) -> float:
    candidate_text, candidate_core = _street_forms(street_name)
    return max(_reading_score(reading, candidate_text, candidate_core) for reading in readings)


def _reading_score(reading: StreetReading, candidate_text: str, candidate_core: str) -> float:
    if not reading.core or not candidate_core:
        return float(fuzz.ratio(reading.text, candidate_text))
    # token_sort forgives words in another order; plain ratio forgives a typo that
    # changes how the words sort.
    core = max(
        fuzz.token_sort_ratio(reading.core, candidate_core),
        fuzz.ratio(reading.core, candidate_core),
    )
    # The street's own words decide; its type and joining words ("rue", "des"…) only
    # break ties between streets of the same name.
    return 0.8 * core + 0.2 * fuzz.ratio(reading.text, candidate_text)


def _unit_bonus(unit: str, numbers: tuple[str, ...]) -> float:
    if unit:
        return 2.0 if unit.lower() in numbers else 0.0
    return 1.0  # Without a unit in the query, the building itself ranks first.


def geocode(query: str, *, limit: int = 5) -> list[GeocodeMatch]:
    """Find the addresses that best match free text such as "123 rue des Érables".

    Tolerates case, accents, punctuation, common abbreviations (St, Ave, Boul…) and small
    typos in the street name. The civic number must be exact; a query without one matches
    nothing. A municipality or postal code after a comma is ignored. Best matches come
    first; each address's district is loaded with it. Never raises on any text.
    """
    parsed = parse_query(query)
    if not parsed.numbers or not parsed.readings or limit < 1:
        return []
    variants = {variant for number in parsed.numbers for variant in civic_number_variants(number)}
    candidates = (
        # No ORDER BY: with one, SQLite may walk an ordered index instead of the
        # civic-number one. Ties are broken by id below, so the order does not matter.
        Address.objects.filter(civic_number__in=variants)
        .order_by()
        .values_list("id", "street_name", "unit")[:MAX_CANDIDATES]
    )
    scored: list[tuple[float, int, float]] = []
    for address_id, street_name, unit in candidates:
        score = _street_score(parsed.readings, street_name)
        if score >= MIN_SCORE:
            rank = score + _unit_bonus(unit, parsed.numbers)
            scored.append((rank, -address_id, score))
    best = heapq.nlargest(limit, scored)
    addresses = Address.objects.select_related("district").in_bulk([-item[1] for item in best])
    return [GeocodeMatch(address=addresses[-pk], score=round(score, 1)) for _, pk, score in best]


def _check_point(latitude: float, longitude: float) -> None:
    problem = coordinates_problem(latitude, longitude)
    if problem:
        raise InvalidInput(problem, fields={"point": [problem]})


def district_for_point(latitude: float, longitude: float) -> District | None:
    """The district holding the point (the smallest one, where districts nest), or None.

    Boundaries come from a per-process cache of prepared shapes, so a lookup costs one
    bounding-box query once the shapes are warm. Raises InvalidInput for coordinates
    outside WGS84.
    """
    _check_point(latitude, longitude)
    candidates = (
        District.objects.filter(
            min_latitude__lte=latitude,
            max_latitude__gte=latitude,
            min_longitude__lte=longitude,
            max_longitude__gte=longitude,
        )
        .defer("boundary")
        .order_by(
            (F("max_latitude") - F("min_latitude")) * (F("max_longitude") - F("min_longitude")),
            "id",
        )
    )
    point = Point(longitude, latitude)
    for district in candidates:
        if prepared_boundaries.shape_for(district).covers(point):
            return district
    return None


def nearest_address(
    latitude: float, longitude: float, *, max_distance_m: float = 250.0
) -> Address | None:
    """The address closest to the point, if one lies within `max_distance_m` metres.

    Reads the H3 cells around the point ring by ring, and stops as soon as no farther ring
    can hold a closer address. `max_distance_m` is capped at MAX_NEAREST_DISTANCE_M.
    Raises InvalidInput for coordinates outside WGS84.
    """
    _check_point(latitude, longitude)
    reach = min(max_distance_m, MAX_NEAREST_DISTANCE_M)
    origin = cell_for(latitude, longitude)
    best: tuple[float, int] | None = None
    last_ring = rings_to_cover(origin, reach)
    ring = 0
    while ring <= last_ring:
        rows = (
            Address.objects.filter(h3_cell__in=cells_in_ring(origin, ring))
            .order_by()  # The default ordering would let SQLite pick a street-name index.
            .values_list("id", "latitude", "longitude")
        )
        for address_id, address_latitude, address_longitude in rows:
            distance = distance_m(latitude, longitude, address_latitude, address_longitude)
            if distance <= reach and (best is None or (distance, address_id) < best):
                best = (distance, address_id)
        if best is not None:
            last_ring = min(last_ring, rings_to_cover(origin, best[0]))
        ring += 1
    if best is None:
        return None
    return Address.objects.select_related("district").get(id=best[1])
