"""The personal-data register: what each domain holds about a person; how to export, erase it.

Each domain app declares its sources in `<app>/personal_data.py` with `register_source`, and its
retention rules in `<app>/retention.py` with `register_retention_rule`; `PrivacyConfig.ready`
imports those modules. The "my data" page, the export, the erasure, the retention task and the
records of processing all read these registers, so none of them can forget a table that a
domain declares, and the privacy app imports no domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from cityhall.accounts.models import User


@dataclass(frozen=True)
class ExportTable:
    """One table of a person's export: a file `<name>.json` and `<name>.csv` in the ZIP.

    `rows` hold plain JSON values (strings, numbers, booleans, None, lists, dicts); dates as
    ISO 8601 strings with their offset.
    """

    name: str
    rows: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Erased:
    """What erasing one source did for one person: rows deleted and rows kept without identity."""

    deleted: int = 0
    anonymised: int = 0


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of personal data a domain holds.

    - `code`: stable, `<app>.<what>` (e.g. `servicerequests.requests`);
    - `name`, `description`: what the citizen reads on the "my data" page and the register;
    - `purposes`: codes of the purposes (privacy.purposes) the data serves;
    - `count(user)`: how many items the person has (for the "my data" page);
    - `export(user)`: the tables of the person's export; a source whose content must stay
      secret even from its author (a ballot) exports only that each item exists and when;
    - `erase(user)`: delete or irreversibly anonymise the person's data of this kind, in the
      caller's transaction; public records (a pothole report) stay without identity;
    - `retention`: codes of the retention rules that apply;
    - `recipients`: who outside the city's staff receives it;
    - `models`: labels (`app.Model`) of the models this source covers; every model with a
      foreign key to the user or with personal fields belongs to at least one source (a test
      checks it), so that no table escapes the page, the export and the erasure.
    """

    code: str
    name: str | Promise
    description: str | Promise
    purposes: tuple[str, ...]
    count: Callable[[User], int]
    export: Callable[[User], list[ExportTable]]
    erase: Callable[[User], Erased]
    retention: tuple[str, ...] = field(default=())
    recipients: tuple[str | Promise, ...] = field(default=())
    models: tuple[str, ...] = field(default=())
    #: Held only about staff and partners' members: the "my data" page leaves it out when empty.
    staff_only: bool = False
    #: Sources are exported and erased in this order (lower first); the account itself is last.
    order: int = 100


@dataclass(frozen=True)
class RetentionRule:
    """How long one kind of data is kept, read from settings.PRIVACY_RETENTION_MONTHS[code].

    `apply(cutoff, dry_run)` deletes or anonymises what is older than `cutoff` and returns how
    many rows it touched (or would touch, with `dry_run`).
    """

    code: str
    description: str | Promise
    default_months: int
    apply: Callable[[dt.datetime, bool], int]


_SOURCES: dict[str, PersonalDataSource] = {}
_RULES: dict[str, RetentionRule] = {}


def register_source(source: PersonalDataSource) -> PersonalDataSource:
    """Declare a kind of personal data (once per code)."""
    if source.code in _SOURCES and _SOURCES[source.code] is not source:
        raise ValueError(f"personal-data source {source.code!r} is declared twice")
    _SOURCES[source.code] = source
    return source


def register_retention_rule(rule: RetentionRule) -> RetentionRule:
    """Declare a retention rule (once per code)."""
    if rule.code in _RULES and _RULES[rule.code] is not rule:
        raise ValueError(f"retention rule {rule.code!r} is declared twice")
    _RULES[rule.code] = rule
    return rule


def all_sources() -> list[PersonalDataSource]:
    """Every declared source, in export and erasure order."""
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.code))


def covered_models() -> dict[str, list[str]]:
    """Each model label a source covers, with the codes of the sources that cover it."""
    covered: dict[str, list[str]] = {}
    for source in all_sources():
        for label in source.models:
            covered.setdefault(label, []).append(source.code)
    return covered


def export_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of plain JSON values from `QuerySet.values()`: dates, times, UUIDs and decimals as
    strings (dates in ISO 8601 with their offset), so that the JSON and the CSV agree."""
    return [{key: _plain(value) for key, value in row.items()} for row in rows]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def all_retention_rules() -> list[RetentionRule]:
    """Every declared retention rule, by code."""
    return sorted(_RULES.values(), key=lambda rule: rule.code)
