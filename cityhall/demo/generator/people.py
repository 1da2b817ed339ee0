"""Residents: bilingual names, a preferred language, an email address and a home address.

About seven residents in ten prefer French. The language follows the district: most people
in English-speaking districts prefer English, and some everywhere else do too. Names mix
old French-Canadian and English families with newer arrivals, whatever language they prefer.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from cityhall.demo.generator.addresses import GeneratedAddress
from cityhall.demo.generator.geography import GeneratedDistrict
from cityhall.demo.generator.names import (
    ENGLISH_FEMALE_FIRST,
    ENGLISH_MALE_FIRST,
    ENGLISH_SURNAMES,
    FRENCH_FEMALE_FIRST,
    FRENCH_MALE_FIRST,
    FRENCH_SURNAMES,
    WORLD_FIRST,
    WORLD_SURNAMES,
)
from cityhall.demo.generator.text import email_local_part

EMAIL_DOMAIN = "example.org"
#: Share of residents preferring English, by the common language of their district.
ENGLISH_SHARE = {"en": 0.8, "fr": 0.2}


@dataclass(frozen=True)
class GeneratedResident:
    """A resident with an account; `address_source_id` is their home in the address register."""

    email: str
    first_name: str
    last_name: str
    preferred_language: str
    address_source_id: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def generate_residents(
    rng: random.Random,
    *,
    count: int,
    addresses: Sequence[GeneratedAddress],
    districts: Sequence[GeneratedDistrict],
) -> tuple[GeneratedResident, ...]:
    """`count` residents, each living at one of `addresses` (households share an address)."""
    if not addresses:
        return ()
    language_of = {district.code: district.language for district in districts}
    residents = []
    for number in range(1, count + 1):
        home = rng.choice(addresses)
        english = rng.random() < ENGLISH_SHARE[language_of[home.district_code]]
        language = "en" if english else "fr"
        first_name, last_name = _name(rng, language)
        residents.append(
            GeneratedResident(
                email=f"{email_local_part(first_name, last_name)}.{number}@{EMAIL_DOMAIN}",
                first_name=first_name,
                last_name=last_name,
                preferred_language=language,
                address_source_id=home.source_id,
            )
        )
    return tuple(residents)


def _name(rng: random.Random, language: str) -> tuple[str, str]:
    """A first and last name; the heritage mix depends on the preferred language."""
    roll = rng.random()
    if language == "fr":
        heritage = "fr" if roll < 0.82 else ("world" if roll < 0.94 else "en")
    else:
        heritage = "en" if roll < 0.68 else ("fr" if roll < 0.85 else "world")
    if heritage == "world":
        return rng.choice(WORLD_FIRST), rng.choice(WORLD_SURNAMES)
    firsts: tuple[str, ...]
    if heritage == "en":
        firsts = ENGLISH_FEMALE_FIRST if rng.random() < 0.5 else ENGLISH_MALE_FIRST
        return rng.choice(firsts), rng.choice(ENGLISH_SURNAMES)
    firsts = FRENCH_FEMALE_FIRST if rng.random() < 0.5 else FRENCH_MALE_FIRST
    return rng.choice(firsts), rng.choice(FRENCH_SURNAMES)
