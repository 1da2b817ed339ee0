"""How long a visit holds a counter, learnt from the visits served recently.

Pure functions over plain values: no database here (see `live.py` for the reads).

A visit's time at a counter runs from its call to its end (walking up included). Service times
are skewed (most visits are short, a few are long), so they are modelled as log-normal:

- per service, the mean of the recent times, shrunk toward the service's booked duration when
  few were seen (a weighted mean with `PRIOR_WEIGHT` pseudo-observations of the duration);
- per counter and service, the counter's own mean shrunk toward the service's mean with
  `COUNTER_WEIGHT` pseudo-observations, so one slow or fast desk counts once it has a record;
- the spread (sigma of the logarithms) per service, shrunk toward `DEFAULT_SIGMA`; it gives the
  expected remaining time of a visit already at a counter for longer than usual.

A counter also pauses between visits (a few seconds to a minute); the mean pause between
consecutive visits of a counter is added to every visit's occupancy.

Times beyond `OUTLIER_FACTOR` times the service's median (a visit left open over lunch) are
capped there so one forgotten "finish" does not move the mean.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PRIOR_WEIGHT = 3.0
COUNTER_WEIGHT = 10.0
DEFAULT_SIGMA = 0.5
SIGMA_WEIGHT = 5.0
OUTLIER_FACTOR = 4.0
#: A visit called but gone (a no-show) still holds the counter for a moment.
DEFAULT_NO_SHOW_SECONDS = 90.0
#: Used when a service has neither observations nor a booked duration.
FALLBACK_SECONDS = 600.0
#: A counter's pause between a visit's end and the next call, when the queue is not empty;
#: longer gaps are breaks or an empty queue, not the pace of work.
MAX_TURNAROUND_SECONDS = 300.0


@dataclass(frozen=True)
class Observation:
    """One finished visit: its service, counter, seconds at the counter (from its call to its
    end) and whether it was a no-show (called, never came)."""

    service_id: int
    counter_id: int | None
    seconds: float
    no_show: bool = False
    #: When it was called: consecutive visits of a counter give the time between them.
    called_at: dt.datetime | None = None


@dataclass(frozen=True)
class _ServiceModel:
    mean: float
    sigma: float
    no_show_share: float
    no_show_seconds: float


@dataclass(frozen=True)
class ServiceTimes:
    """Expected times per service and counter; build it with `learn_service_times`."""

    services: Mapping[int, _ServiceModel] = field(default_factory=dict)
    counter_means: Mapping[tuple[int, int], float] = field(default_factory=dict)
    defaults: Mapping[int, float] = field(default_factory=dict)
    #: Mean seconds a counter takes between a visit's end and its next call.
    turnaround: float = 0.0

    def _model(self, service_id: int) -> _ServiceModel:
        model = self.services.get(service_id)
        if model is None:
            return _ServiceModel(
                self.defaults.get(service_id, FALLBACK_SECONDS),
                DEFAULT_SIGMA,
                0.0,
                DEFAULT_NO_SHOW_SECONDS,
            )
        return model

    def mean(self, service_id: int, counter_id: int | None = None) -> float:
        """Expected seconds of service of one visit that shows up."""

        if counter_id is not None and (service_id, counter_id) in self.counter_means:
            return self.counter_means[service_id, counter_id]
        return self._model(service_id).mean

    def occupancy(self, service_id: int, counter_id: int | None = None) -> float:
        """Expected seconds a waiting visit will hold a counter, its chance of not showing
        up when called included."""

        model = self._model(service_id)
        share = model.no_show_share
        held = (1 - share) * self.mean(service_id, counter_id) + share * model.no_show_seconds
        return held + self.turnaround

    def remaining(self, service_id: int, counter_id: int | None, elapsed: float) -> float:
        """Expected seconds left of a visit at a counter for `elapsed` seconds already."""

        mean = self.mean(service_id, counter_id)
        sigma = self._model(service_id).sigma
        return lognormal_mean_residual(mean, sigma, max(elapsed, 0.0))


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def lognormal_mean_residual(mean: float, sigma: float, elapsed: float) -> float:
    """E[D - e | D > e] for a log-normal D of the given mean and log-spread, at most the mean."""

    if elapsed <= 0:
        return mean
    if sigma <= 0:
        return max(mean - elapsed, 0.0)
    mu = math.log(mean) - sigma * sigma / 2
    z = (math.log(elapsed) - mu) / sigma
    survival = 1.0 - _normal_cdf(z)
    if survival < 1e-9:
        return mean
    partial_mean = mean * (1.0 - _normal_cdf(z - sigma))
    # The log-normal's residual grows without bound in its tail; a visit that long is more
    # often one nobody marked finished, so it is expected to end within one more mean.
    return min(max(partial_mean / survival - elapsed, 0.0), mean)


def _shrunk(total: float, count: float, prior: float, weight: float) -> float:
    return (total + weight * prior) / (count + weight)


def _turnaround(observations: Iterable[Observation]) -> float:
    """Mean pause between consecutive visits of a counter, breaks and idle spells left out."""
    by_counter: dict[int, list[tuple[dt.datetime, float]]] = defaultdict(list)
    for observation in observations:
        if observation.counter_id is not None and observation.called_at is not None:
            by_counter[observation.counter_id].append((observation.called_at, observation.seconds))
    gaps = []
    for visits in by_counter.values():
        visits.sort()
        for (called_at, seconds), (next_called_at, _next) in itertools.pairwise(visits):
            gap = (next_called_at - called_at).total_seconds() - seconds
            if 0 <= gap <= MAX_TURNAROUND_SECONDS:
                gaps.append(gap)
    return math.fsum(gaps) / len(gaps) if gaps else 0.0


def learn_service_times(
    observations: Iterable[Observation], durations: Mapping[int, float]
) -> ServiceTimes:
    """Learn from finished visits; `durations` gives each service's booked seconds (the prior)."""

    observations = list(observations)
    served: dict[int, list[Observation]] = defaultdict(list)
    no_shows: dict[int, list[float]] = defaultdict(list)
    for observation in observations:
        if observation.no_show:
            no_shows[observation.service_id].append(observation.seconds)
        elif observation.seconds > 0:
            served[observation.service_id].append(observation)
    services: dict[int, _ServiceModel] = {}
    counter_means: dict[tuple[int, int], float] = {}
    for service_id in set(served) | set(no_shows):
        prior = durations.get(service_id, FALLBACK_SECONDS)
        rows = served[service_id]
        cap = OUTLIER_FACTOR * (statistics.median(o.seconds for o in rows) if rows else prior)
        seconds = [min(o.seconds, cap) for o in rows]
        mean = _shrunk(sum(seconds), len(seconds), prior, PRIOR_WEIGHT)
        sigma = DEFAULT_SIGMA
        if len(seconds) >= 2:
            logs = [math.log(s) for s in seconds]
            centre = math.fsum(logs) / len(logs)
            observed = math.sqrt(math.fsum((x - centre) ** 2 for x in logs) / len(logs))
            sigma = _shrunk(observed * len(seconds), len(seconds), DEFAULT_SIGMA, SIGMA_WEIGHT)
        gone = no_shows[service_id]
        # One pseudo-visit that came: a service seen once as a no-show is not "always empty".
        share = len(gone) / (len(gone) + len(seconds) + 1)
        gone_seconds = statistics.median(gone) if gone else DEFAULT_NO_SHOW_SECONDS
        services[service_id] = _ServiceModel(mean, sigma, share, gone_seconds)
        by_counter: dict[int, list[float]] = defaultdict(list)
        for observation, capped in zip(rows, seconds, strict=True):
            if observation.counter_id is not None:
                by_counter[observation.counter_id].append(capped)
        for counter_id, values in by_counter.items():
            counter_means[service_id, counter_id] = _shrunk(
                sum(values), len(values), mean, COUNTER_WEIGHT
            )
    return ServiceTimes(
        services=services,
        counter_means=counter_means,
        defaults=dict(durations),
        turnaround=_turnaround(observations),
    )
