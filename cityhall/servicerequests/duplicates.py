"""Scoring how likely two requests for the same service describe the same problem.

Pure functions, shared by `selectors.likely_duplicates` and `bench/duplicates.py`, so that the
figures the benchmark prints are the figures of the code that runs. A score lies in 0..1 and
combines three pieces of evidence: how close the two points are, how far apart in time the
requests were filed, and how alike their descriptions read once normalised.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

#: Distance at which the closeness evidence has fallen to 1/e.
DISTANCE_SCALE_M = 50.0
#: Age difference at which the recency evidence has fallen to 1/e.
AGE_SCALE_HOURS = 96.0
# Scales and weights were picked by a grid search on the tuning half of bench/duplicates.py.
DISTANCE_WEIGHT = 0.6
AGE_WEIGHT = 0.2
TEXT_WEIGHT = 0.2
#: The best-scored candidate of a new request is a likely duplicate from this score on; chosen
#: by bench/duplicates.py as the best F1 with precision >= 0.9 on its tuning half.
LIKELY_DUPLICATE_THRESHOLD = 0.21

T = TypeVar("T")

_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class DuplicateEvidence:
    """What is known about a pair of requests for the same service."""

    distance_m: float
    age_hours: float
    text_similarity: float


def normalise_text(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (accents and punctuation dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", ascii_text).strip()


def text_similarity(first: str, second: str) -> float:
    """Similarity of two free-text descriptions in 0..1; 0 when either says nothing.

    Mixes word-order-free fuzzy matching with the share of words in common, so that a short
    text contained in a long one does not count as identical.
    """
    first_normal, second_normal = normalise_text(first), normalise_text(second)
    if not first_normal or not second_normal:
        return 0.0
    fuzzy = fuzz.token_sort_ratio(first_normal, second_normal) / 100.0
    first_words, second_words = set(first_normal.split()), set(second_normal.split())
    overlap = len(first_words & second_words) / len(first_words | second_words)
    return (fuzzy + overlap) / 2


def duplicate_score(evidence: DuplicateEvidence) -> float:
    """The likelihood-like score (0..1) that the pair is one problem reported twice."""
    closeness = math.exp(-max(evidence.distance_m, 0.0) / DISTANCE_SCALE_M)
    recency = math.exp(-abs(evidence.age_hours) / AGE_SCALE_HOURS)
    text = min(max(evidence.text_similarity, 0.0), 1.0)
    return DISTANCE_WEIGHT * closeness + AGE_WEIGHT * recency + TEXT_WEIGHT * text


def likely_duplicate(
    scored: Iterable[tuple[T, float]], *, threshold: float | None = None
) -> T | None:
    """The best-scored candidate if its score reaches the threshold, else None.

    Only the best candidate is flagged: when several earlier requests are close, flagging them
    all costs more precision than it gains recall (bench/duplicates.py).
    """
    limit = LIKELY_DUPLICATE_THRESHOLD if threshold is None else threshold
    best = max(scored, key=lambda item: item[1], default=None)
    if best is None or best[1] < limit:
        return None
    return best[0]
