"""A year of service requests in the demo city, ending at `now`: `generate_history(...)`.

Pure: the result depends only on the seed, the city, the catalog description and `now`.
Volumes follow the seasons (snow in winter, potholes in spring, parks and noise in summer,
leaves in autumn); places follow where people live; each request is written in its
reporter's language and carries the steps it went through, cut off at `now`, so that the
newest ones are still open.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cityhall.demo.generator.addresses import GeneratedAddress
from cityhall.demo.generator.city import GeneratedCity
from cityhall.demo.generator.history_phrases import DESCRIPTIONS, ENDINGS, NOTES, SEASONS
from cityhall.demo.generator.people import GeneratedResident

DEFAULT_REQUESTS = 2000
CITY_ZONE = ZoneInfo("America/Toronto")
DAYS = 365
ANONYMOUS_SHARE = 0.15
DUPLICATE_SHARE = 0.03
REJECTED_SHARE = 0.05
ON_HOLD_SHARE = 0.08
#: Share of the last three months' requests still waiting, overdue, for the work queues.
BACKLOG_SHARE = 0.06
BACKLOG_AGE = timedelta(days=90)
#: Share of people who report something at their own door rather than elsewhere in town.
AT_HOME_SHARE = 0.5
#: How often an optional field is answered.
OPTIONAL_ANSWER_SHARE = 0.4
#: Degrees of latitude or longitude within which a duplicate is placed around its original.
DUPLICATE_JITTER = 0.00008
CHANNELS = (("portal", 50), ("phone", 20), ("open311", 15), ("assistant", 10), ("api", 5))
#: Relative number of requests filed in each hour of the day, local time.
HOURS = (1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 8, 8, 8, 8, 8, 8, 8, 7, 7, 6, 4, 3, 2)


@dataclass(frozen=True)
class GeneratedStep:
    """A status reached at `at` (aware), with the note the reporter saw."""

    to_status: str
    at: datetime
    public_note: str


@dataclass(frozen=True)
class GeneratedServiceRequest:
    """One past request. `duplicate_of` is the index of an earlier request in the history."""

    service_code: str
    reporter_email: str | None
    language: str
    description: str
    answers: dict[str, Any]
    latitude: float
    longitude: float
    address_text: str
    channel: str
    created_at: datetime
    steps: tuple[GeneratedStep, ...]
    duplicate_of: int | None = None

    @property
    def status(self) -> str:
        return self.steps[-1].to_status if self.steps else "submitted"


def generate_history(
    seed: int,
    city: GeneratedCity,
    *,
    catalog: Mapping[str, Any],
    now: datetime,
    count: int = DEFAULT_REQUESTS,
) -> tuple[GeneratedServiceRequest, ...]:
    """About `count` requests filed in the year before `now` (aware), oldest first.

    Only services present in both `catalog` (the parsed catalog description) and the
    seasonal table are used.
    """
    services = {s["code"]: s for s in catalog["services"] if s["code"] in SEASONS}
    if count <= 0 or not services or not city.addresses:
        return ()
    rng = random.Random(f"history-{seed}")  # noqa: S311 (reproducible scenery, not secrets)
    homes = {address.source_id: address for address in city.addresses}
    duplicates = round(count * DUPLICATE_SHARE)
    originals = [
        _request(rng, city, homes, services[code], created_at, now)
        for created_at, code in _moments(rng, count - duplicates, list(services), now)
    ]
    copies = _duplicates(rng, originals, duplicates, services, city.residents, now)
    return _in_time_order(originals, copies)


def _moments(
    rng: random.Random, count: int, codes: list[str], now: datetime
) -> list[tuple[datetime, str]]:
    """When each request was filed and for which service, following the seasons."""
    local_now = now.astimezone(CITY_ZONE)
    days = [local_now.date() - timedelta(days=back) for back in range(DAYS)]
    day_weights = [sum(SEASONS[code][day.month - 1] for code in codes) for day in days]
    moments = []
    for day in rng.choices(days, weights=day_weights, k=count):
        hour = rng.choices(range(24), weights=HOURS)[0]
        local = datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=CITY_ZONE)
        created_at = local.astimezone(UTC)
        if created_at >= now:
            created_at -= timedelta(days=1)
        weights = [SEASONS[code][day.month - 1] for code in codes]
        moments.append((created_at, rng.choices(codes, weights=weights)[0]))
    return moments


def _request(  # noqa: PLR0913 (the pieces a request is drawn from)
    rng: random.Random,
    city: GeneratedCity,
    homes: Mapping[str, GeneratedAddress],
    service: Mapping[str, Any],
    created_at: datetime,
    now: datetime,
) -> GeneratedServiceRequest:
    reporter = _reporter(rng, city.residents, service)
    address = rng.choice(city.addresses)
    if reporter is not None and rng.random() < AT_HOME_SHARE:
        address = homes.get(reporter.address_source_id, address)
    language = reporter.preferred_language if reporter else _language_at(rng, city, address)
    return GeneratedServiceRequest(
        service_code=service["code"],
        reporter_email=reporter.email if reporter else None,
        language=language,
        description=_description(rng, service["code"], language, address.street_name),
        answers=_answers(rng, service.get("fields", []), created_at),
        latitude=address.latitude,
        longitude=address.longitude,
        address_text=f"{address.civic_number} {address.street_name}",
        channel=rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0],
        created_at=created_at,
        steps=_lifecycle(rng, created_at, float(service["sla_hours"]), language, now),
    )


def _reporter(
    rng: random.Random, residents: Sequence[GeneratedResident], service: Mapping[str, Any]
) -> GeneratedResident | None:
    anonymous = service.get("allows_anonymous") and rng.random() < ANONYMOUS_SHARE
    if anonymous or not residents:
        return None
    return rng.choice(residents)


def _language_at(rng: random.Random, city: GeneratedCity, address: GeneratedAddress) -> str:
    """The district's common language, most of the time."""
    language = next((d.language for d in city.districts if d.code == address.district_code), "fr")
    if rng.random() < 0.2:
        return "en" if language == "fr" else "fr"
    return language


def _description(rng: random.Random, code: str, language: str, street: str) -> str:
    opening = rng.choice(DESCRIPTIONS[code][language]).format(street=street)
    return opening + rng.choice(ENDINGS[language])


def _answers(
    rng: random.Random, fields: Sequence[Mapping[str, Any]], created_at: datetime
) -> dict[str, Any]:
    """Answers the service's form accepts: every required field, some optional ones."""
    answers: dict[str, Any] = {}
    for field in fields:
        if not field.get("required") and rng.random() >= OPTIONAL_ANSWER_SHARE:
            continue
        value = _answer(rng, field, created_at)
        if value is not None:
            answers[field["code"]] = value
    return answers


def _answer(rng: random.Random, field: Mapping[str, Any], created_at: datetime) -> Any:
    keys = [choice["key"] for choice in field.get("choices", [])]
    datatype = field["datatype"]
    if datatype == "singlevaluelist":
        return rng.choice(keys)
    if datatype == "multivaluelist":
        return rng.sample(keys, k=1 if rng.random() < 0.7 else min(2, len(keys)))
    if datatype == "number":
        return rng.randint(1, 5)
    if datatype == "datetime":
        return (created_at - timedelta(hours=rng.randint(1, 48))).isoformat()
    if field.get("required"):
        return str(rng.randint(100000, 999999))
    return None


def _lifecycle(
    rng: random.Random, created_at: datetime, sla_hours: float, language: str, now: datetime
) -> tuple[GeneratedStep, ...]:
    """The steps a request went through, as far as `now`; SLA-ish delays between them.

    A few recent requests stop early and stay open past their due date, as real backlogs do.
    """
    roll = rng.random()
    plan: list[tuple[str, float]] = [("acknowledged", rng.uniform(0.5, 24))]
    if roll < REJECTED_SHARE:
        plan.append(("rejected", rng.uniform(2, 72)))
    else:
        plan.append(("in_progress", rng.uniform(2, max(4.0, sla_hours * 0.4))))
        if roll < REJECTED_SHARE + ON_HOLD_SHARE:
            plan += [("on_hold", rng.uniform(4, 48)), ("in_progress", rng.uniform(24, 240))]
        plan.append(("resolved", sla_hours * 0.6 * rng.lognormvariate(0, 0.6)))
        plan.append(("closed", rng.uniform(72, 240)))
    stuck = rng.random() < BACKLOG_SHARE and now - created_at < BACKLOG_AGE
    if stuck:
        plan = plan[: rng.randint(0, 3)]
    return _steps(rng, created_at, plan, language, now)


def _steps(
    rng: random.Random,
    created_at: datetime,
    plan: Sequence[tuple[str, float]],
    language: str,
    now: datetime,
) -> tuple[GeneratedStep, ...]:
    steps = []
    at = created_at
    for status, hours in plan:
        at += timedelta(hours=hours, minutes=1)
        if at > now:
            break
        steps.append(GeneratedStep(status, at, rng.choice(NOTES[status][language])))
    return tuple(steps)


def _duplicates(  # noqa: PLR0913 (the pieces second reports are drawn from)
    rng: random.Random,
    originals: Sequence[GeneratedServiceRequest],
    count: int,
    services: Mapping[str, Mapping[str, Any]],
    residents: Sequence[GeneratedResident],
    now: datetime,
) -> list[tuple[int, GeneratedServiceRequest]]:
    """Second reports of the same problem by someone else, a little later and nearby."""
    copies = []
    for _number in range(count):
        index = rng.randrange(len(originals))
        original = originals[index]
        copy = _second_report(rng, original, services[original.service_code], residents, now)
        if copy is not None:
            copies.append((index, copy))
    return copies


def _second_report(
    rng: random.Random,
    original: GeneratedServiceRequest,
    service: Mapping[str, Any],
    residents: Sequence[GeneratedResident],
    now: datetime,
) -> GeneratedServiceRequest | None:
    created_at = original.created_at + timedelta(hours=rng.uniform(1, 72))
    if created_at >= now:
        return None
    reporter = _reporter(rng, residents, service)
    language = reporter.preferred_language if reporter else original.language
    first = created_at + timedelta(hours=rng.uniform(0.5, 12))
    merged = first + timedelta(hours=rng.uniform(0.5, 24))
    plan = [("acknowledged", first), ("duplicate", merged)]
    return replace(
        original,
        reporter_email=reporter.email if reporter else None,
        language=language,
        latitude=original.latitude + rng.uniform(-DUPLICATE_JITTER, DUPLICATE_JITTER),
        longitude=original.longitude + rng.uniform(-DUPLICATE_JITTER, DUPLICATE_JITTER),
        description=_description(rng, original.service_code, language, original.address_text),
        answers=_answers(rng, service.get("fields", []), created_at),
        channel=rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0],
        created_at=created_at,
        steps=tuple(
            GeneratedStep(status, at, rng.choice(NOTES[status][language]))
            for status, at in plan
            if at <= now
        ),
    )


def _in_time_order(
    originals: Sequence[GeneratedServiceRequest],
    copies: Sequence[tuple[int, GeneratedServiceRequest]],
) -> tuple[GeneratedServiceRequest, ...]:
    """All requests oldest first, each merged copy pointing at its original's new index."""
    entries: list[tuple[GeneratedServiceRequest, int | None, int]] = [
        (request, None, number) for number, request in enumerate(originals)
    ]
    entries += [(copy, index, -1) for index, copy in copies]
    entries.sort(key=lambda entry: (entry[0].created_at, entry[2]))
    position = {number: at for at, (_, _, number) in enumerate(entries) if number >= 0}
    ordered = []
    for request, original, _number in entries:
        merged_into = None
        if original is not None and request.status == "duplicate":
            merged_into = position[original]
        ordered.append(replace(request, duplicate_of=merged_into))
    return tuple(ordered)
