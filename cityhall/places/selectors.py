"""Reading the city's geography: geocoding, reverse geocoding and lookups.

Everything here is public data (the address register, district boundaries, facilities),
so these selectors take no actor and audit nothing.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from django.db.models import F
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process
from shapely import Point

from cityhall.core.errors import InvalidInput
from cityhall.places.addresstext import (
    StreetReading,
    canonical_words,
    civic_number_variants,
    normalise_text,
    parse_query,
    street_core,
)
from cityhall.places.districting import prepared_boundaries
from cityhall.places.geometry import coordinates_problem
from cityhall.places.h3cells import cell_for, cells_in_ring, distance_m, rings_to_cover
from cityhall.places.models import Address, District, Facility
from cityhall.places.streets import (
    KnownNumber,
    civic_number_value,
    interpolated_point,
    known_numbers,
    street_line,
)

#: At most this many addresses sharing a civic number are scored (any of them, unordered).
MAX_CANDIDATES = 5000
#: Matches scoring below this (0 to 100) are not returned.
MIN_SCORE = 70.0
#: The longest reach of `nearest_address`, which bounds the H3 rings it reads.
MAX_NEAREST_DISTANCE_M = 5000.0
#: Landmarks scoring below this (0 to 100) against the query are not returned.
MIN_LANDMARK_SCORE = 80.0
#: Landmarks scoring more than this below the best one are left out: "fire station 2" is
#: Fire Station 2, not every fire station.
LANDMARK_MARGIN = 4.0
#: A query word at least this close (0 to 100) to a word of a name counts as that word.
LANDMARK_WORD_SCORE = 75.0
#: Queries shorter than this (normalised) look for no landmark: too many names contain them.
MIN_LANDMARK_QUERY = 3
#: Streets scoring more than this below the best-matching street are not suggested.
STREET_MARGIN = 5.0


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


@dataclass(frozen=True)
class PlaceMatch:
    """An address or a landmark (a facility found by its name) matching a place search.

    `label` is what to store as the request's address text; `shown_label` is what to show
    in a list of results, saying which results are landmarks.
    """

    public_id: UUID
    label: str
    latitude: float
    longitude: float
    score: float
    #: The facility's kind ("Library"…) in the active language; "" for an address.
    landmark_kind: str = ""
    #: What the place is when it is not a register entry (an estimate, a whole street).
    note: str = ""
    #: The street itself (its middle point), offered when only a street could be matched.
    is_whole_street: bool = False

    @property
    def is_landmark(self) -> bool:
        return bool(self.landmark_kind)

    @property
    def shown_label(self) -> str:
        if self.is_landmark:
            return _("%(label)s (landmark: %(kind)s)") % {
                "label": self.label,
                "kind": self.landmark_kind.lower(),
            }
        if self.note:
            return _("%(label)s (%(note)s)") % {"label": self.label, "note": self.note}
        return self.label


def search_places(query: str, *, limit: int = 5) -> list[PlaceMatch]:
    """Addresses (as `geocode` finds them), then landmarks whose name matches, best first.

    When no register entry has the civic number, or the query names only a street, the
    street's suggestions stand in for addresses (see `places.suggestions`): the number's
    estimated position, the nearest known numbers and the street itself.

    Landmarks are the city's facilities (libraries, arenas, parks…), matched on their
    English and French names with the same tolerance for case, accents and typos as
    addresses. Never raises on any text.
    """
    matches = [
        PlaceMatch(
            public_id=match.address.public_id,
            label=match.address.label,
            latitude=match.latitude,
            longitude=match.longitude,
            score=match.score,
        )
        for match in geocode(query, limit=limit)
    ]
    if not matches:
        matches = street_suggestions(query, limit=limit)
    return (matches + landmarks_matching(query, limit=limit))[: max(limit, 0)]


def street_suggestions(query: str, *, limit: int = 5) -> list[PlaceMatch]:
    """Places on the streets matching `query` when the register lacks its exact address.

    For each matching street (best first): with a civic number, its estimated position
    between the closest known numbers (see `streets.interpolated_point`) and the known
    numbers nearest to it; then the street itself, as the point halfway along its line.
    """
    parsed = parse_query(query)
    number = next(
        (value for raw in parsed.numbers if (value := civic_number_value(raw)) is not None), None
    )
    suggestions: list[PlaceMatch] = []
    for street_name in matching_streets(parsed.readings):
        numbers = known_numbers(street_name)
        if number is not None:
            suggestions.extend(_numbers_near(street_name, numbers, number))
        line = street_line(street_name, numbers)
        if line is not None:
            latitude, longitude = line.middle()
            suggestions.append(
                PlaceMatch(
                    public_id=uuid5(NAMESPACE_URL, f"cityhall:street:{street_name}"),
                    label=street_name,
                    latitude=latitude,
                    longitude=longitude,
                    score=0.0,
                    note=_("the street; mark the spot on the map to be precise"),
                    is_whole_street=True,
                )
            )
    return suggestions[: max(limit, 0)]


def _numbers_near(street_name: str, numbers: list[KnownNumber], number: int) -> list[PlaceMatch]:
    """The number's estimated position, then the two known numbers closest to it."""
    found: list[PlaceMatch] = []
    estimate = interpolated_point(numbers, number)
    if estimate is not None:
        low, high, latitude, longitude = estimate
        found.append(
            PlaceMatch(
                public_id=uuid5(NAMESPACE_URL, f"cityhall:estimate:{street_name}:{number}"),
                label=f"{number} {street_name}",
                latitude=latitude,
                longitude=longitude,
                score=0.0,
                note=_("estimated position, between %(low)s and %(high)s")
                % {"low": low.civic_number, "high": high.civic_number},
            )
        )
    closest = sorted(numbers, key=lambda known: (abs(known.number - number), known.number))[:2]
    found.extend(
        PlaceMatch(
            public_id=uuid5(NAMESPACE_URL, f"cityhall:address:{street_name}:{known.civic_number}"),
            label=f"{known.civic_number} {street_name}",
            latitude=known.latitude,
            longitude=known.longitude,
            score=0.0,
            note=_("nearest known address"),
        )
        for known in closest
    )
    return found


def matching_streets(readings: tuple[StreetReading, ...], *, limit: int = 3) -> list[str]:
    """The register's street names that best match the query's street, best first.

    Streets scoring more than STREET_MARGIN below the best one are left out, so that a
    well-spelt street does not bring its look-alikes.
    """
    if not readings or limit < 1:
        return []
    names = Address.objects.order_by().values_list("street_name", flat=True).distinct()
    scored = [
        (score, name) for name in names if (score := _street_score(readings, name)) >= MIN_SCORE
    ]
    if not scored:
        return []
    best = max(score for score, _name in scored)
    ranked = sorted(
        (item for item in scored if item[0] >= best - STREET_MARGIN),
        key=lambda item: (-item[0], item[1]),
    )
    return [name for _score, name in ranked[:limit]]


def landmarks_matching(query: str, *, limit: int = 5) -> list[PlaceMatch]:
    """The facilities whose English or French name best matches `query`, best first.

    Each word of the query counts by how rare its closest word is among all facility names,
    so "mckenzi arena" finds the McKenzie arena rather than every arena, while "arena" alone
    finds them all.
    """
    words = normalise_text(query).split()
    if len("".join(words)) < MIN_LANDMARK_QUERY or limit < 1:
        return []
    names = [
        (facility_id, frozenset(normalise_text(name).split()))
        for facility_id, *both in Facility.objects.order_by().values_list(
            "id", "name_en", "name_fr"
        )
        for name in both
    ]
    if not names:
        return []
    weights = _word_weights(words, [name_words for _id, name_words in names])
    best: dict[int, float] = {}
    for facility_id, name_words in names:
        score = sum(
            weight * _closeness(word, name_words)
            for word, weight in zip(words, weights, strict=True)
        ) / sum(weights)
        best[facility_id] = max(score, best.get(facility_id, 0.0))
    top = max(best.values())
    if top < MIN_LANDMARK_SCORE:
        return []
    ranked = sorted(
        (item for item in best.items() if item[1] >= top - LANDMARK_MARGIN),
        key=lambda item: (-item[1], item[0]),
    )[:limit]
    facilities = Facility.objects.in_bulk([facility_id for facility_id, _score in ranked])
    return [_landmark(facilities[facility_id], score) for facility_id, score in ranked]


def _closeness(word: str, name_words: frozenset[str]) -> float:
    """How well `word` matches the name's closest word (0 to 100); weak likeness counts as 0."""
    if word in name_words:
        return 100.0
    found = process.extractOne(
        word, name_words, scorer=fuzz.ratio, score_cutoff=LANDMARK_WORD_SCORE
    )
    return float(found[1]) if found else 0.0


def _word_weights(words: list[str], names: list[frozenset[str]]) -> list[float]:
    """Inverse document frequency of each query word's closest word among the names.

    A word found in no name weighs as much as the rarest one: the name must answer for it.
    """
    frequency = Counter(word for name_words in names for word in name_words)
    vocabulary = list(frequency)
    weights = []
    for word in words:
        found = process.extractOne(
            word, vocabulary, scorer=fuzz.ratio, score_cutoff=LANDMARK_WORD_SCORE
        )
        count = frequency[found[0]] if found else 0
        weights.append(math.log((len(names) + 1) / (count + 1)) + 1)
    return weights


def _landmark(facility: Facility, score: float) -> PlaceMatch:
    name = facility.name
    return PlaceMatch(
        public_id=facility.public_id,
        label=f"{name}, {facility.address_text}" if facility.address_text else name,
        latitude=facility.latitude,
        longitude=facility.longitude,
        score=round(score, 1),
        landmark_kind=str(facility.get_kind_display()),
    )
