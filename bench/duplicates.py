"""How well `servicerequests.duplicates` flags real duplicates, against the 50 m / 7 day rule.

Run: .venv/bin/python bench/duplicates.py          (measure the shipped weights and threshold)
     .venv/bin/python bench/duplicates.py --fit    (also refit them on the tuning half; paste the
                                                   printed weights into duplicates.FITTED_WEIGHTS)

Data: Boston's Open311 requests 2008-2020 and the duplicates Boston staff labelled
("Duplicate of Existing Case <id>"), from ../shared/data/boston-311-open311-descriptions/.
Only labels whose original is in the main file count (`original_in_file=true`).

Protocol. For each labelled duplicate D, the candidate set is every earlier request of the same
service filed at most CANDIDATE_DAYS before D, within CANDIDATE_RADIUS_M of it, and not yet
closed when D arrived (the last update time stands in for the closing time): what intake would
compare D against. A pair (D, C) is a true duplicate when staff linked C and D, directly or
through other labels (the transitive closure of every "duplicate of" link in the label file).
Labels whose original was filed after D (not detectable at intake) are left out; labels whose
original is outside the candidate set count as missed. The baseline flags every candidate it
matches; the scorer flags only each D's best candidate, when it reaches the threshold. The
labels are split in two halves by their id's parity: the scorer's logistic weights were fitted
(maximum likelihood over every scored pair) and its threshold chosen on the tuning half only; the
figures to quote are those of the other half. Brackets give each precision's 95% (Wilson)
interval. Labelled duplicates alone cannot show how often an ordinary request would be told
"already reported", so a sample of requests no label touches (one in UNLABELLED_SAMPLE_STEP of
each half) measures that too, as an upper bound (some are duplicates nobody labelled). The
threshold is the best F1 with precision >= 0.9 among those that prompt no more ordinary requests
than the baseline does; the best F1 on labelled duplicates alone is printed beside it.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import math
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))

from cityhall.places.h3cells import distance_m  # noqa: E402 (needs the repository on the path)
from cityhall.servicerequests.duplicates import (  # noqa: E402
    FITTED_WEIGHTS,
    LIKELY_DUPLICATE_THRESHOLD,
    DuplicateEvidence,
    ScoreWeights,
    duplicate_score,
    likely_duplicate,
    score_features,
    text_similarity,
)

DATA = REPOSITORY.parent / "shared" / "data" / "boston-311-open311-descriptions"
MAIN_FILE = DATA / "boston_311_open311_2008_2020.csv.gz"
LABEL_FILE = DATA / "boston_311_duplicates.csv"
CANDIDATE_RADIUS_M = 200.0
CANDIDATE_DAYS = 14
BASELINE_RADIUS_M = 50.0
BASELINE_DAYS = 7
MIN_PRECISION = 0.9
#: One ordinary request in this many is checked for false prompts.
UNLABELLED_SAMPLE_STEP = 25


@dataclass(frozen=True)
class Report:
    service: str
    latitude: float
    longitude: float
    filed_at: float
    last_update_at: float
    description: str


@dataclass(frozen=True)
class Pair:
    duplicate_id: str
    half: int
    is_duplicate: bool
    distance_m: float
    age_hours: float
    evidence: DuplicateEvidence
    score: float


def _timestamp(value: str) -> float | None:
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


def load_reports() -> dict[str, Report]:
    reports: dict[str, Report] = {}
    with gzip.open(MAIN_FILE, "rt", newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            filed_at = _timestamp(row["requested_datetime"])
            if not row["lat"] or not row["long"] or filed_at is None:
                continue
            updated_at = _timestamp(row["updated_datetime"]) or math.inf
            reports[row["service_request_id"]] = Report(
                service=row["service_name"],
                latitude=float(row["lat"]),
                longitude=float(row["long"]),
                filed_at=filed_at,
                last_update_at=updated_at if row["status"] == "closed" else math.inf,
                description=row["description"],
            )
    return reports


class Clusters:
    """Requests staff linked as one problem, directly or through other links (union-find)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, item: str) -> str:
        while self.parent.get(item, item) != item:
            item = self.parent[item]
        return item

    def link(self, first: str, second: str) -> None:
        """Put both in one cluster; every linked request becomes a key of `parent`."""
        self.parent.setdefault(first, first)
        self.parent.setdefault(second, second)
        first_root, second_root = self.root(first), self.root(second)
        if first_root != second_root:
            self.parent[first_root] = second_root


def load_labels(reports: dict[str, Report]) -> tuple[dict[str, str], Clusters]:
    """Duplicate id → original id for labels usable at intake time, and every label's links."""
    labels: dict[str, str] = {}
    clusters = Clusters()
    with LABEL_FILE.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            duplicate, original = row["service_request_id"], row["duplicate_of"]
            if original:
                clusters.link(duplicate, original)
            if row["original_in_file"] != "True" or duplicate not in reports:
                continue
            if original in reports and reports[original].filed_at < reports[duplicate].filed_at:
                labels[duplicate] = original
    return labels, clusters


class CandidateIndex:
    """Reports of each service in filing order, to cut a time window with two bisections."""

    def __init__(self, reports: dict[str, Report]) -> None:
        by_service: dict[str, list[tuple[float, str]]] = defaultdict(list)
        for report_id, report in reports.items():
            by_service[report.service].append((report.filed_at, report_id))
        self.times: dict[str, list[float]] = {}
        self.ids: dict[str, list[str]] = {}
        for service, items in by_service.items():
            items.sort()
            self.times[service] = [filed_at for filed_at, _ in items]
            self.ids[service] = [report_id for _, report_id in items]

    def earlier(self, report: Report, days: float) -> list[str]:
        times = self.times[report.service]
        start = bisect.bisect_left(times, report.filed_at - days * 86400)
        end = bisect.bisect_left(times, report.filed_at)
        return self.ids[report.service][start:end]


def candidate_evidence(
    reports: dict[str, Report], index: CandidateIndex, report_id: str
) -> Iterator[tuple[str, DuplicateEvidence]]:
    """What intake would compare the report against (the protocol's candidate set), scored."""
    report = reports[report_id]
    for candidate_id in index.earlier(report, CANDIDATE_DAYS):
        candidate = reports[candidate_id]
        if candidate_id == report_id or candidate.last_update_at < report.filed_at:
            continue
        if abs(candidate.latitude - report.latitude) > 0.002:  # about 220 m, a cheap cut
            continue
        distance = distance_m(
            report.latitude, report.longitude, candidate.latitude, candidate.longitude
        )
        if distance > CANDIDATE_RADIUS_M:
            continue
        yield (
            candidate_id,
            DuplicateEvidence(
                distance_m=distance,
                age_hours=(report.filed_at - candidate.filed_at) / 3600,
                text_similarity=text_similarity(report.description, candidate.description),
            ),
        )


def build_pairs(
    reports: dict[str, Report], index: CandidateIndex, labels: dict[str, str], clusters: Clusters
) -> tuple[list[Pair], list[int]]:
    """Scored (duplicate, candidate) pairs, and per half the number of labels to find."""
    pairs: list[Pair] = []
    labels_per_half = [0, 0]
    for duplicate_id in labels:
        half = int(duplicate_id) % 2
        labels_per_half[half] += 1
        for candidate_id, evidence in candidate_evidence(reports, index, duplicate_id):
            is_duplicate = clusters.root(candidate_id) == clusters.root(duplicate_id)
            pairs.append(
                Pair(
                    duplicate_id,
                    half,
                    is_duplicate,
                    evidence.distance_m,
                    evidence.age_hours,
                    evidence,
                    duplicate_score(evidence),
                )
            )
    return pairs, labels_per_half


@dataclass(frozen=True)
class OrdinaryRequests:
    """A sample of one half's requests that no staff label touches, as intake would see them.

    Some are duplicates staff never labelled, so a prompt on one of them is a false alarm at most:
    the share prompted is an upper bound of how often intake wrongly says "already reported".
    The labelled-only protocol cannot see these prompts; this sample can.
    """

    #: Per sampled request, its best candidate's score (0 without any candidate).
    best_scores: list[float]
    #: How many of them the baseline rule would prompt (some candidate within 50 m and 7 days).
    baseline_prompts: int

    def prompted(self, threshold: float) -> float:
        """The share the scorer would prompt from `threshold` on."""
        return sum(score >= threshold for score in self.best_scores) / len(self.best_scores)

    @property
    def baseline_prompted(self) -> float:
        return self.baseline_prompts / len(self.best_scores)


def ordinary_requests(
    reports: dict[str, Report],
    index: CandidateIndex,
    clusters: Clusters,
    half: int,
    weights: ScoreWeights,
) -> OrdinaryRequests:
    sample = sorted(
        report_id
        for report_id in reports
        if report_id.isdigit() and int(report_id) % 2 == half and report_id not in clusters.parent
    )[::UNLABELLED_SAMPLE_STEP]
    best_scores: list[float] = []
    baseline_prompts = 0
    for report_id in sample:
        scored = list(candidate_evidence(reports, index, report_id))
        best_scores.append(
            max((duplicate_score(evidence, weights) for _, evidence in scored), default=0.0)
        )
        baseline_prompts += any(
            evidence.distance_m <= BASELINE_RADIUS_M and evidence.age_hours <= BASELINE_DAYS * 24
            for _, evidence in scored
        )
    return OrdinaryRequests(best_scores, baseline_prompts)


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float
    flagged: int

    def precision_interval(self, z: float = 1.96) -> tuple[float, float]:
        """The 95% Wilson interval of the precision: how much it may move on another sample."""
        if not self.flagged:
            return 0.0, 1.0
        n, p = self.flagged, self.precision
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half_width = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return centre - half_width, centre + half_width

    def line(self, name: str) -> str:
        low, high = self.precision_interval()
        return (
            f"{name:<44} precision {self.precision:.3f} [{low:.3f}-{high:.3f}]  recall "
            f"{self.recall:.3f}  F1 {self.f1:.3f}  (flagged pairs {self.flagged})"
        )


def figures(flags: list[tuple[Pair, bool]], labels_to_find: int) -> Figures:
    """Precision counts flagged pairs; recall counts labels with at least one true pair flagged."""
    flagged = [pair for pair, is_flagged in flags if is_flagged]
    hits = sum(1 for pair in flagged if pair.is_duplicate)
    found = {pair.duplicate_id for pair in flagged if pair.is_duplicate}
    precision = hits / len(flagged) if flagged else 0.0
    recall = len(found) / labels_to_find if labels_to_find else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Figures(precision, recall, f1, len(flagged))


def baseline(pairs: list[Pair], half: int, labels_to_find: int) -> Figures:
    flags = [
        (pair, pair.distance_m <= BASELINE_RADIUS_M and pair.age_hours <= BASELINE_DAYS * 24)
        for pair in pairs
        if pair.half == half
    ]
    return figures(flags, labels_to_find)


def nearest_baseline(pairs: list[Pair], half: int, labels_to_find: int) -> Figures:
    """The baseline restricted to each duplicate's nearest match, to isolate the scorer's part."""
    nearest: dict[str, Pair] = {}
    for pair in pairs:
        if pair.half != half or pair.distance_m > BASELINE_RADIUS_M:
            continue
        if pair.age_hours > BASELINE_DAYS * 24:
            continue
        current = nearest.get(pair.duplicate_id)
        if current is None or pair.distance_m < current.distance_m:
            nearest[pair.duplicate_id] = pair
    chosen = {id(pair) for pair in nearest.values()}
    flags = [(pair, id(pair) in chosen) for pair in pairs if pair.half == half]
    return figures(flags, labels_to_find)


def at_threshold(pairs: list[Pair], half: int, labels_to_find: int, threshold: float) -> Figures:
    """The scorer as intake runs it: only each duplicate's best candidate may be flagged."""
    by_duplicate: dict[str, list[tuple[Pair, float]]] = defaultdict(list)
    for pair in pairs:
        if pair.half == half:
            by_duplicate[pair.duplicate_id].append((pair, pair.score))
    flags: list[tuple[Pair, bool]] = []
    for scored in by_duplicate.values():
        chosen = likely_duplicate(scored, threshold=threshold)
        flags.extend((pair, pair is chosen) for pair, _ in scored)
    return figures(flags, labels_to_find)


def best_threshold(
    pairs: list[Pair],
    half: int,
    labels_to_find: int,
    min_precision: float,
    ordinary: OrdinaryRequests | None = None,
) -> float:
    """The threshold with the best F1 among those reaching `min_precision` on `half`.

    With `ordinary` (the same half's sample), only thresholds that prompt no larger share of
    ordinary requests than the baseline rule does are considered.
    """
    best_f1, best = -1.0, 1.0
    for step in range(5, 100):
        threshold = step / 100
        if ordinary is not None and ordinary.prompted(threshold) > ordinary.baseline_prompted:
            continue
        result = at_threshold(pairs, half, labels_to_find, threshold)
        if result.precision >= min_precision and result.f1 > best_f1:
            best_f1, best = result.f1, threshold
    return best


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix @ x = vector, by Gaussian elimination with partial pivoting."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(rows[row][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for row in range(size):
            if row != column:
                factor = rows[row][column] / rows[column][column]
                rows[row] = [a - factor * b for a, b in zip(rows[row], rows[column], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def fit_weights(pairs: list[Pair], half: int, ridge: float = 1.0) -> ScoreWeights:
    """Logistic regression of `is_duplicate` on the score's features, over `half`'s pairs.

    Newton's method (iteratively reweighted least squares) with a light ridge penalty on the
    feature weights, which keeps a feature that never varies from running off to infinity.
    """
    rows = [(1.0, *score_features(pair.evidence)) for pair in pairs if pair.half == half]
    targets = [1.0 if pair.is_duplicate else 0.0 for pair in pairs if pair.half == half]
    size = len(rows[0])
    weights = [0.0] * size
    for _ in range(25):
        hessian = [[ridge if i == j and i > 0 else 0.0 for j in range(size)] for i in range(size)]
        gradient = [-ridge * weights[i] if i > 0 else 0.0 for i in range(size)]
        for features, target in zip(rows, targets, strict=True):
            logit = sum(w * x for w, x in zip(weights, features, strict=True))
            probability = 1.0 / (1.0 + math.exp(-logit))
            curvature = probability * (1.0 - probability)
            for i in range(size):
                gradient[i] += (target - probability) * features[i]
                for j in range(size):
                    hessian[i][j] += curvature * features[i] * features[j]
        step = _solve(hessian, gradient)
        weights = [w + d for w, d in zip(weights, step, strict=True)]
        if max(abs(d) for d in step) < 1e-6:
            break
    intercept, closeness, recency, text = (round(w, 2) for w in weights)
    return ScoreWeights(intercept, closeness, recency, text)


def rescored(pairs: list[Pair], weights: ScoreWeights) -> list[Pair]:
    return [replace(pair, score=duplicate_score(pair.evidence, weights)) for pair in pairs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--fit", action="store_true", help="refit the weights and threshold on the tuning half"
    )
    arguments = parser.parse_args()
    if not MAIN_FILE.is_file() or not LABEL_FILE.is_file():
        print(f"skipped: {DATA} is not available (the shared data sits beside the repository)")
        return 0
    started = time.perf_counter()
    reports = load_reports()
    labels, clusters = load_labels(reports)
    index = CandidateIndex(reports)
    pairs, labels_per_half = build_pairs(reports, index, labels, clusters)
    tuning, report_half = 0, 1
    weights, threshold = FITTED_WEIGHTS, LIKELY_DUPLICATE_THRESHOLD
    if arguments.fit:
        weights = fit_weights(pairs, tuning)
        pairs = rescored(pairs, weights)
    ordinary = [ordinary_requests(reports, index, clusters, half, weights) for half in (0, 1)]
    to_find = labels_per_half[tuning]
    rechosen = best_threshold(pairs, tuning, to_find, MIN_PRECISION, ordinary[tuning])
    if arguments.fit:
        threshold = rechosen
    labelled_only = best_threshold(pairs, tuning, to_find, MIN_PRECISION)
    print(__doc__.split("Protocol.")[1].strip() if __doc__ else "")
    print()
    print(f"requests with a location: {len(reports)}; usable duplicate labels: {len(labels)}")
    print(
        f"scored pairs: {len(pairs)} (true duplicate pairs: {sum(p.is_duplicate for p in pairs)})"
    )
    origin = "refitted on the tuning half" if arguments.fit else "shipped in duplicates.py"
    print(f"weights ({origin}): {weights!r}")
    print(f"threshold ({origin}): {threshold:.2f}")
    print(
        f"thresholds chosen on the tuning half (even ids) for these weights, best F1 with precision"
        f" >= {MIN_PRECISION}: {rechosen:.2f} prompting no more ordinary requests than the"
        f" baseline, {labelled_only:.2f} on labelled duplicates alone"
    )
    for name, half in (
        ("tuning half (even ids)", tuning),
        ("REPORTED half (odd ids)", report_half),
    ):
        print(f"\n{name}: {labels_per_half[half]} labels")
        print(
            baseline(pairs, half, labels_per_half[half]).line(
                "  baseline: same service, 50 m, 7 days"
            )
        )
        nearest = nearest_baseline(pairs, half, labels_per_half[half])
        print(nearest.line("  baseline, nearest match only"))
        for limit in sorted({threshold, labelled_only}, reverse=True):
            scorer = at_threshold(pairs, half, labels_per_half[half], limit)
            in_use = " (in use)" if limit == threshold else ""
            print(scorer.line(f"  scorer >= {limit:.2f}{in_use}"))
        print(
            f"  ordinary requests prompted (sample of {len(ordinary[half].best_scores)}): baseline"
            f" {ordinary[half].baseline_prompted:.1%}, scorer >= {threshold:.2f}"
            f" {ordinary[half].prompted(threshold):.1%}, scorer >= {labelled_only:.2f}"
            f" {ordinary[half].prompted(labelled_only):.1%}"
        )
    print(f"\nruntime {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
