"""An in-memory index of the catalog for the search box: both languages, no accents, typos.

Text is reduced to terms: transliterated to ASCII, lower-cased, split on anything that is not a
letter or digit, with joining words dropped and a plural "s"/"x" removed. So "Nids-de-poule",
"nid de poule" and "NID DE POULES" give the same terms. Each phrase also yields its terms
glued together ("pot hole" → "pothole", "nid de poule" → "nidpoule"), so that spacing
differences still match.

A query term matches an index term exactly, as a prefix (someone still typing) or, when the
term is unknown, within a small edit distance (rapidfuzz), each with a lower weight. A
service's score adds, for every query term, the best match times where it was found: name
over synonyms over keywords over description.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from unidecode import unidecode

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

#: Words that join others in English and French and say nothing about the service.
STOP_WORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "in", "is", "my", "of", "on", "or", "the", "to",
     "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ma", "mes",
     "mon", "ou", "par", "pour", "sur", "un", "une"}
)  # fmt: skip

NAME_WEIGHT = 4.0
SYNONYM_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0
#: The searched language's texts count a little more than the other language's.
OTHER_LANGUAGE_FACTOR = 0.9

EXACT = 1.0
PREFIX = 0.8
MIN_PREFIX_LENGTH = 3
MIN_FUZZY_LENGTH = 4
FUZZY_CUTOFF = 80.0
MAX_GLUED_WORDS = 4
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 12


def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    return _NOT_ALNUM.sub(" ", unidecode(text).lower()).strip()


def _singular(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def terms_of(text: str) -> list[str]:
    """The index terms of a text: its meaningful words, singular, and a short phrase glued."""
    words = [_singular(word) for word in normalise(text).split() if word not in STOP_WORDS]
    # Glue only short phrases: names and keywords, not whole descriptions.
    if 1 < len(words) <= MAX_GLUED_WORDS:
        words.append("".join(words))
    return words


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows of one service, in one language's texts."""

    service_id: int
    language: str
    name: str
    synonyms: list[str]
    keywords: list[str]
    description: str


@dataclass
class SearchIndex:
    """Postings from a term to (service id, language) to the term's best weight there."""

    postings: dict[str, dict[tuple[int, str], float]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    names: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    vocabulary: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, documents: Iterable[SearchDocument]) -> SearchIndex:
        index = cls()
        for document in documents:
            index._add(document)
        index.vocabulary = sorted(index.postings)
        return index

    def _add(self, document: SearchDocument) -> None:
        self.names[document.service_id][document.language] = normalise(document.name)
        weighted = [(document.name, NAME_WEIGHT), (document.description, DESCRIPTION_WEIGHT)]
        weighted += [(text, SYNONYM_WEIGHT) for text in document.synonyms]
        weighted += [(text, KEYWORD_WEIGHT) for text in document.keywords]
        for text, weight in weighted:
            for term in terms_of(text):
                self._post(term, document, weight)

    def _post(self, term: str, document: SearchDocument, weight: float) -> None:
        key = (document.service_id, document.language)
        current = self.postings[term].get(key, 0.0)
        self.postings[term][key] = max(current, weight)

    def search(self, query: str, *, language: str, limit: int) -> list[int]:
        """Ids of the best-matching services, best first; empty when nothing matches."""
        # Bounded, so that a pasted page of text costs no more than a long question.
        query_terms = terms_of(query[:MAX_QUERY_LENGTH])[:MAX_QUERY_TERMS]
        if not query_terms:
            return []
        scores: dict[int, float] = defaultdict(float)
        for term in dict.fromkeys(query_terms):
            for service_id, score in self._term_scores(term, language).items():
                scores[service_id] += score
        phrase = normalise(query[:MAX_QUERY_LENGTH])
        for service_id in scores:
            scores[service_id] += self._phrase_bonus(phrase, service_id, language)
        # On equal scores the shorter name is the more specific match.
        ranked = sorted(scores, key=lambda sid: (-scores[sid], *self._name_order(sid, language)))
        return ranked[:limit]

    def _name_order(self, service_id: int, language: str) -> tuple[int, str]:
        name = self.names[service_id].get(language, "")
        return (len(name), name)

    def _phrase_bonus(self, phrase: str, service_id: int, language: str) -> float:
        # The whole query at the start of a name beats the same words elsewhere in a name.
        best = 0.0
        for name_language, name in self.names[service_id].items():
            factor = 1.0 if name_language == language else OTHER_LANGUAGE_FACTOR
            if name.startswith(phrase):
                best = max(best, NAME_WEIGHT * factor)
            elif phrase in name:
                best = max(best, NAME_WEIGHT * factor / 2)
        return best

    def _term_scores(self, term: str, language: str) -> dict[int, float]:
        best: dict[int, float] = {}
        for candidate, quality in self._candidates(term):
            for (service_id, term_language), weight in self.postings[candidate].items():
                factor = 1.0 if term_language == language else OTHER_LANGUAGE_FACTOR
                score = quality * weight * factor
                best[service_id] = max(best.get(service_id, 0.0), score)
        return best

    def _candidates(self, term: str) -> list[tuple[str, float]]:
        found: dict[str, float] = {}
        if term in self.postings:
            found[term] = EXACT
        if len(term) >= MIN_PREFIX_LENGTH:
            for candidate in self._with_prefix(term):
                found.setdefault(candidate, PREFIX)
        # A word the catalog knows is taken as written: "ordures" must not also match
        # "bordure", nor "neige" match "neglige". Only unknown words are typos.
        if term not in self.postings and len(term) >= MIN_FUZZY_LENGTH:
            matches = process.extract(
                term, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            )
            for candidate, similarity, _position in matches:
                found.setdefault(candidate, PREFIX * similarity / 100.0)
        return list(found.items())

    def _with_prefix(self, term: str) -> list[str]:
        # The vocabulary is sorted, so every word starting with `term` sits in one run.
        start = bisect_left(self.vocabulary, term)
        matches = []
        for candidate in self.vocabulary[start:]:
            if not candidate.startswith(term):
                break
            if candidate != term:
                matches.append(candidate)
        return matches
