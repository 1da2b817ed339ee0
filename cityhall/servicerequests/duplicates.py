"""Scoring how likely two requests for the same service describe the same problem.

Pure functions, shared by `selectors.likely_duplicates` and `bench/duplicates.py`, so that the
figures the benchmark prints are the figures of the code that runs. `DuplicateEvidence` holds
what is known about a pair; `duplicate_score` turns it into a probability (0..1) with a logistic
model whose weights (`FITTED_WEIGHTS`) `bench/duplicates.py --fit` estimates on the tuning half
of Boston's labelled duplicates; `likely_duplicate` flags the best candidate from the threshold
on.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

#: Distance at which the closeness evidence has fallen to 1/e.
DISTANCE_SCALE_M = 50.0
#: Age difference at which the recency evidence has fallen to 1/e.
AGE_SCALE_HOURS = 96.0

#: The best candidate of a new request is a likely duplicate from this probability on; chosen by
#: bench/duplicates.py on its tuning half as the best F1 with precision >= 0.9 among thresholds
#: that tell no more ordinary requests "already reported" than the 50 m / 7 day rule does.
LIKELY_DUPLICATE_THRESHOLD = 0.5

T = TypeVar("T")

_NON_WORD = re.compile(r"[^0-9a-z]+")

_ENGLISH_STOP_WORDS = """
    a an the and or of to in on at by for with from into about is are was were be been being it
    its this that these those there here has have had do does did not no i my me we our you your
    he she they them his her their as so if but just very can will would could please
"""
_FRENCH_STOP_WORDS = """
    le la les un une des du de d l et ou en au aux sur sous dans par pour avec est sont etait ete
    ce cet cette ces il elle ils elles je j nous vous on mon ma mes son sa ses leur leurs notre
    votre pas ne n plus y qui que qu s c se lui tres svp
"""
#: Words that say nothing about the problem, in English and French (accents already dropped).
STOP_WORDS = frozenset((_ENGLISH_STOP_WORDS + _FRENCH_STOP_WORDS).split())


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the logistic model over `score_features` (each feature lies in 0..1)."""

    intercept: float
    closeness: float
    recency: float
    text: float


#: Fitted by `bench/duplicates.py --fit` on the tuning half (even ids) of the labels only.
FITTED_WEIGHTS = ScoreWeights(intercept=-2.52, closeness=3.24, recency=1.19, text=1.52)


@dataclass(frozen=True)
class DuplicateEvidence:
    """What is known about a pair of requests for the same service."""

    distance_m: float
    age_hours: float
    #: How alike the descriptions read, 0..1 (`text_similarity`).
    text_similarity: float


def normalise_text(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (accents and punctuation dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NON_WORD.sub(" ", ascii_text).strip()


def content_words(text: str) -> frozenset[str]:
    """The normalised words of `text` that carry meaning (stop words of both languages dropped)."""
    return frozenset(word for word in normalise_text(text).split() if word not in STOP_WORDS)


def text_similarity(first: str, second: str) -> float:
    """Share of meaningful words the two descriptions have in common (0..1); 0 if either has none.

    Word overlap (Jaccard) rather than fuzzy matching, so that a short text contained in a long
    one, or two texts sharing only filler words, do not count as alike.
    """
    first_words, second_words = content_words(first), content_words(second)
    if not first_words or not second_words:
        return 0.0
    return len(first_words & second_words) / len(first_words | second_words)


def score_features(evidence: DuplicateEvidence) -> tuple[float, float, float]:
    """The model's inputs, each in 0..1: closeness, recency and text similarity."""
    closeness = math.exp(-max(evidence.distance_m, 0.0) / DISTANCE_SCALE_M)
    recency = math.exp(-abs(evidence.age_hours) / AGE_SCALE_HOURS)
    text = min(max(evidence.text_similarity, 0.0), 1.0)
    return closeness, recency, text


def duplicate_score(evidence: DuplicateEvidence, weights: ScoreWeights = FITTED_WEIGHTS) -> float:
    """The estimated probability (0..1) that the pair is one problem reported twice."""
    closeness, recency, text = score_features(evidence)
    logit = (
        weights.intercept
        + weights.closeness * closeness
        + weights.recency * recency
        + weights.text * text
    )
    return 1.0 / (1.0 + math.exp(-logit))


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
