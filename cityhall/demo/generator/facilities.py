"""Public facilities: city hall, libraries, pools, arenas, parks, centres, fire stations.

Each facility stands at one of the generated addresses, in the district that a real town
would put it in: city hall in the old port, a community centre in most districts, parks
everywhere. Kinds are the values of `places.Facility.Kind`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from cityhall.demo.generator.addresses import GeneratedAddress
from cityhall.demo.generator.geography import GeneratedDistrict
from cityhall.demo.generator.names import CITY_NAME_EN, CITY_NAME_FR, HONOREES, PARK_NAMES

#: Phone numbers 555-0100 to 555-0179; departments use 555-0180 and up.
FIRST_PHONE_LINE = 100
MAX_FACILITIES = 80
#: French typography sets a spaced en dash between a facility and its district.
DASH = "\N{EN DASH}"


@dataclass(frozen=True)
class GeneratedFacility:
    source_id: str
    name_en: str
    name_fr: str
    kind: str
    address: str
    phone: str
    latitude: float
    longitude: float
    district_code: str


@dataclass(frozen=True)
class _Plan:
    name_en: str
    name_fr: str
    kind: str
    district: GeneratedDistrict


def generate_facilities(
    rng: random.Random,
    *,
    districts: Sequence[GeneratedDistrict],
    addresses: Sequence[GeneratedAddress],
) -> tuple[GeneratedFacility, ...]:
    """Between 40 and 80 facilities, each at an address in its district."""
    by_district: dict[str, list[GeneratedAddress]] = {}
    for address in addresses:
        by_district.setdefault(address.district_code, []).append(address)
    plans = _plans(rng, [district for district in districts if district.code in by_district])
    facilities = []
    for number, plan in enumerate(plans[:MAX_FACILITIES]):
        address = rng.choice(by_district[plan.district.code])
        facilities.append(
            GeneratedFacility(
                source_id=f"ras-facility-{number + 1:03d}",
                name_en=plan.name_en,
                name_fr=plan.name_fr,
                kind=plan.kind,
                address=f"{address.civic_number}, {address.street_name}, {CITY_NAME_FR} "
                f"(Québec) {address.postal_code}",
                phone=f"450-555-0{FIRST_PHONE_LINE + number}",
                latitude=address.latitude,
                longitude=address.longitude,
                district_code=plan.district.code,
            )
        )
    return tuple(facilities)


def _plans(rng: random.Random, districts: Sequence[GeneratedDistrict]) -> list[_Plan]:
    if not districts:
        return []
    honorees = list(HONOREES)
    rng.shuffle(honorees)
    core = districts[0]
    others = list(districts[1:]) or [core]
    plans = [
        _Plan("City Hall", "Hôtel de ville", "service_centre", core),
        _Plan("Municipal Garage", "Garage municipal", "other", rng.choice(others)),
        _Plan("Water Treatment Plant", "Usine de traitement de l'eau", "other", core),
        _Plan(f"{CITY_NAME_EN} Eco-centre", f"Écocentre de {CITY_NAME_FR}", "ecocentre",
              rng.choice(others)),
    ]  # fmt: skip
    plans += _per_district_plans(rng, districts)
    plans += _honoured_plans(rng, districts, honorees)
    for english, french in PARK_NAMES:
        plans.append(_Plan(english, french, "park", rng.choice(districts)))
    return plans


def _per_district_plans(rng: random.Random, districts: Sequence[GeneratedDistrict]) -> list[_Plan]:
    """A citizen service point in the largest districts, a community centre in most."""
    plans = []
    for district in districts[1:3]:
        plans.append(
            _Plan(
                f"{district.name_en} Citizen Service Centre",
                f"Centre de services aux citoyens {DASH} {district.name_fr}",
                "service_centre",
                district,
            )
        )
    for district in districts:
        if rng.random() < 0.7:
            plans.append(
                _Plan(
                    f"{district.name_en} Community Centre",
                    f"Centre communautaire {DASH} {district.name_fr}",
                    "community_centre",
                    district,
                )
            )
    for number, district in enumerate(rng.sample(list(districts), min(3, len(districts))), 1):
        plans.append(_Plan(f"Fire Station {number}", f"Caserne {number}", "fire_station", district))
    return plans


def _honoured_plans(
    rng: random.Random, districts: Sequence[GeneratedDistrict], honorees: list[str]
) -> list[_Plan]:
    """Libraries, pools, arenas and some parks named after local figures."""
    templates = [
        ("{} Library", "Bibliothèque {}", "library"),
        ("{} Library", "Bibliothèque {}", "library"),
        ("{} Library", "Bibliothèque {}", "library"),
        ("{} Aquatic Centre", "Centre aquatique {}", "pool"),
        ("{} Pool", "Piscine {}", "pool"),
        ("{} Pool", "Piscine {}", "pool"),
        ("{} Arena", "Aréna {}", "arena"),
        ("{} Arena", "Aréna {}", "arena"),
    ]
    templates += [("{} Park", "Parc {}", "park")] * rng.randint(4, 8)
    plans = []
    for (english, french, kind), honoree in zip(templates, honorees, strict=False):
        plans.append(
            _Plan(
                english.format(honoree.replace("-", " ")),
                french.format(honoree),
                kind,
                rng.choice(districts),
            )
        )
    return plans
