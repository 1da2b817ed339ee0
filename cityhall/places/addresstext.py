"""Address text as geocoding compares it: lower-case, accent-free, abbreviations folded.

`search_key_for` is what an Address stores; `street_core` is what fuzzy scoring compares,
so that "Rue des Érables", "rue des erables" and "des Erables" all reduce to "erables".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from unidecode import unidecode

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_CIVIC_NUMBER = re.compile(r"^[0-9]+[a-z]?$")
_NUMBER_WITH_LETTER = re.compile(r"\b([0-9]+)-?([A-Za-z])\b")
_SPLIT_NUMBER = re.compile(r"^([0-9]+)([a-z]?)$")

#: Every spelling of a word maps to one short form, in English and French.
#: "st" stands for both "street" and "saint", so either reading compares equal.
CANONICAL_WORDS: dict[str, str] = {
    "street": "st", "str": "st", "saint": "st", "sainte": "ste",
    "avenue": "av", "ave": "av", "boulevard": "bd", "boul": "bd", "blvd": "bd", "bl": "bd",
    "road": "rd", "chemin": "ch", "drive": "dr", "place": "pl", "court": "ct", "lane": "ln",
    "terrace": "ter", "crescent": "cres", "highway": "hwy", "autoroute": "hwy",
    "parkway": "pkwy", "square": "sq", "montee": "mtee", "route": "rte",
    "north": "n", "nord": "n", "south": "s", "sud": "s",
    "east": "e", "est": "e", "west": "w", "ouest": "w", "o": "w",
}  # fmt: skip

#: Words that say what kind of street it is, or join words, but not which street.
STREET_TYPE_WORDS = frozenset(
    {"rue", "av", "bd", "rd", "ch", "dr", "pl", "ct", "ln", "ter", "cres", "hwy", "pkwy", "sq",
     "mtee", "rte", "way", "allee", "impasse", "promenade", "terrasse", "rang"}
)  # fmt: skip
JOINING_WORDS = frozenset({"de", "des", "du", "la", "le", "les", "l", "d", "the", "of"})


#: Shorter words are too easily mistaken for a street type ("pins" is one letter from "pl").
_MIN_MISSPELT_TYPE_LENGTH = 5
#: The full spellings of street types, the words a misspelt type is compared with.
_TYPE_SPELLINGS = sorted(
    word
    for word in {w for w, short in CANONICAL_WORDS.items() if short in STREET_TYPE_WORDS}
    | STREET_TYPE_WORDS
    if len(word) >= _MIN_MISSPELT_TYPE_LENGTH
)


def _corrected_type_word(word: str) -> str:
    """A misspelt street type ("boulevrad", "cheimn") as its canonical form; others as is."""
    if len(word) < _MIN_MISSPELT_TYPE_LENGTH or word in CANONICAL_WORDS:
        return word
    found = process.extractOne(word, _TYPE_SPELLINGS, scorer=fuzz.ratio, score_cutoff=80)
    return CANONICAL_WORDS.get(found[0], found[0]) if found else word


def normalise_text(text: str) -> str:
    """Lower-case, transliterate to ASCII and turn every run of punctuation into one space."""
    return _NOT_ALNUM.sub(" ", unidecode(text).lower()).strip()


def search_key_for(*, civic_number: str, street_name: str, unit: str = "") -> str:
    """The `Address.search_key` for these parts: "number street unit", normalised."""
    return " ".join(
        part for part in (normalise_text(civic_number), normalise_text(street_name),
                          normalise_text(unit)) if part
    )  # fmt: skip


def canonical_words(text: str) -> list[str]:
    """The normalised words of `text` with every known abbreviation folded to one form."""
    return [CANONICAL_WORDS.get(word, word) for word in normalise_text(text).split()]


def street_core(words: list[str]) -> str:
    """The words that name the street, without its type, joining words or a trailing "st"."""
    if words and words[-1] == "st":
        words = words[:-1]
    return " ".join(w for w in words if w not in STREET_TYPE_WORDS and w not in JOINING_WORDS)


@dataclass(frozen=True)
class StreetReading:
    """One way to read a query's street words: all of them, and its core (see street_core)."""

    text: str
    core: str

    @classmethod
    def of(cls, words: list[str]) -> StreetReading:
        return cls(text=" ".join(words), core=street_core(words))


@dataclass(frozen=True)
class ParsedQuery:
    """A free-text address split into the numbers it holds and readings of its street.

    The first reading takes the words as typed; a second one, when it differs, reads
    misspelt street types as the type ("boulevrad" as "bd"). Scoring keeps the better one,
    so a street really named "Placer" is not lost to "Place".
    """

    numbers: tuple[str, ...]
    readings: tuple[StreetReading, ...]


def parse_query(query: str) -> ParsedQuery:
    """Split an address query: numbers (civic number or unit) and the street's words.

    Comma-separated parts are read until both a number and a street word have been seen
    ("123, rue des Érables, Montréal" reads "123" and "rue des erables"), because what
    follows is usually the municipality or postal code.
    """
    numbers: list[str] = []
    street_words: list[str] = []
    for part in query.split(","):
        words = canonical_words(_NUMBER_WITH_LETTER.sub(r"\1\2", part))
        numbers.extend(word for word in words if _CIVIC_NUMBER.match(word))
        street_words.extend(word for word in words if not _CIVIC_NUMBER.match(word))
        if numbers and street_words:
            break
    if not street_words:
        return ParsedQuery(numbers=tuple(numbers[:3]), readings=())
    corrected = [_corrected_type_word(word) for word in street_words]
    readings = [StreetReading.of(street_words)]
    if corrected != street_words:
        readings.append(StreetReading.of(corrected))
    return ParsedQuery(numbers=tuple(numbers[:3]), readings=tuple(readings))


def civic_number_variants(number: str) -> set[str]:
    """The ways a register may spell a parsed civic number: "12b" → 12b, 12B, 12-B, 12-b…"""
    match = _SPLIT_NUMBER.match(number)
    if match is None or not match.group(2):
        return {number}
    digits, letter = match.groups()
    return {
        f"{digits}{separator}{case}"
        for separator in ("", "-", " ")
        for case in (letter, letter.upper())
    }
