"""The whole demo city from one seed: `generate_city(seed)`.

Pure: the result depends only on the seed and the sizes asked for, and nothing is written
anywhere. `cityhall.demo.generator.formats` turns it into the files a real city would import.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from cityhall.demo.generator.addresses import GeneratedAddress, generate_addresses
from cityhall.demo.generator.facilities import GeneratedFacility, generate_facilities
from cityhall.demo.generator.geography import GeneratedDistrict
from cityhall.demo.generator.people import GeneratedResident, generate_residents
from cityhall.demo.generator.streets import GeneratedStreet, generate_ground

DEFAULT_SEED = 2032
DEFAULT_RESIDENTS = 3000
DEFAULT_ADDRESSES = 15000


@dataclass(frozen=True)
class GeneratedCity:
    """Rivière-aux-Saules. Shapes are on the local km plane (see geography.to_lonlat)."""

    seed: int
    boundary: Any
    river: Any
    districts: tuple[GeneratedDistrict, ...]
    streets: tuple[GeneratedStreet, ...]
    addresses: tuple[GeneratedAddress, ...]
    facilities: tuple[GeneratedFacility, ...]
    residents: tuple[GeneratedResident, ...]
    #: The address of the demo citizen (demo@example.org): a home in the old port.
    demo_citizen_home: str


def generate_city(
    seed: int = DEFAULT_SEED,
    *,
    residents: int = DEFAULT_RESIDENTS,
    addresses: int = DEFAULT_ADDRESSES,
) -> GeneratedCity:
    """The demo city for `seed`, with `residents` people and up to `addresses` addresses."""
    rng = random.Random(seed)  # noqa: S311 (reproducible scenery, not secrets)
    ground = generate_ground(rng)
    districts = ground.districts
    generated_addresses = generate_addresses(rng, count=addresses, ground=ground)
    return GeneratedCity(
        seed=seed,
        boundary=ground.boundary,
        river=ground.river,
        districts=districts,
        streets=ground.streets,
        addresses=generated_addresses,
        facilities=generate_facilities(rng, districts=districts, addresses=generated_addresses),
        residents=generate_residents(
            rng, count=residents, addresses=generated_addresses, districts=districts
        ),
        demo_citizen_home=_home_in(generated_addresses, districts[0].code),
    )


def _home_in(addresses: tuple[GeneratedAddress, ...], district_code: str) -> str:
    """The first address in the district (any address if it has none; "" without addresses)."""
    for address in addresses:
        if address.district_code == district_code:
            return address.source_id
    return addresses[0].source_id if addresses else ""
