"""The records of processing (GDPR article 30, Quebec's Law 25), built from what the code declares.

Nothing here is written by hand: each purpose comes from `privacy.purposes`, the data serving
it from the sources domains declare (`privacy.registry`), the retention periods from the rules
and the months in force (`privacy.retention`). A purpose, source or rule added in code appears
on the public page, the privacy officer's page and the downloads without touching them.
Texts are resolved in the active language when the register is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from cityhall.privacy.purposes import LegalBasis, all_purposes
from cityhall.privacy.registry import PersonalDataSource, all_retention_rules, all_sources
from cityhall.privacy.retention import retention_months


@dataclass(frozen=True)
class RetentionEntry:
    """One retention rule as in force: what goes, after how many months."""

    code: str
    description: str
    months: int


@dataclass(frozen=True)
class SourceEntry:
    """One kind of personal data, the tables it lives in, who receives it, how long it stays."""

    code: str
    name: str
    description: str
    models: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: tuple[RetentionEntry, ...]


@dataclass(frozen=True)
class PurposeEntry:
    """One purpose of processing, with the data that serves it."""

    code: str
    name: str
    explanation: str
    basis: str
    basis_label: str
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    sources: tuple[SourceEntry, ...]


@dataclass(frozen=True)
class Register:
    """The whole register: purposes, sources serving no declared purpose, every retention rule."""

    purposes: tuple[PurposeEntry, ...]
    other_sources: tuple[SourceEntry, ...]
    retention: tuple[RetentionEntry, ...]


def records_of_processing() -> Register:
    """The register as the code declares it now, in the active language."""
    rules = {
        rule.code: RetentionEntry(
            code=rule.code, description=str(rule.description), months=retention_months(rule)
        )
        for rule in all_retention_rules()
    }
    sources = all_sources()
    entries = {source.code: _source_entry(source, rules) for source in sources}
    purposes = all_purposes()
    purpose_codes = {purpose.code for purpose in purposes}
    return Register(
        purposes=tuple(
            PurposeEntry(
                code=purpose.code,
                name=str(purpose.name),
                explanation=str(purpose.explanation),
                basis=str(purpose.basis),
                basis_label=str(LegalBasis(purpose.basis).label),
                data_categories=_texts(purpose.data_categories),
                recipients=_texts(purpose.recipients),
                sources=tuple(
                    entries[source.code] for source in sources if purpose.code in source.purposes
                ),
            )
            for purpose in purposes
        ),
        other_sources=tuple(
            entries[source.code]
            for source in sources
            if not purpose_codes.intersection(source.purposes)
        ),
        retention=tuple(rules.values()),
    )


def register_as_json(register: Register) -> dict[str, Any]:
    """The register as plain JSON values, for the privacy officer's download."""
    return {
        "purposes": [
            {
                "code": purpose.code,
                "name": purpose.name,
                "explanation": purpose.explanation,
                "legal_basis": purpose.basis,
                "legal_basis_label": purpose.basis_label,
                "data_categories": list(purpose.data_categories),
                "recipients": list(purpose.recipients),
                "sources": [source.code for source in purpose.sources],
            }
            for purpose in register.purposes
        ],
        "sources": [_source_json(source) for source in _unique_sources(register)],
        "retention_rules": [
            {"code": rule.code, "description": rule.description, "months": rule.months}
            for rule in register.retention
        ],
    }


#: Columns of the CSV download: one row per purpose and source serving it.
CSV_COLUMNS = (
    "purpose",
    "purpose_name",
    "legal_basis",
    "data_categories",
    "purpose_recipients",
    "source",
    "source_name",
    "models",
    "source_recipients",
    "retention",
)


def register_as_rows(register: Register) -> list[dict[str, str]]:
    """The register as flat rows (CSV_COLUMNS), a purpose without sources on a row of its own."""
    rows = []
    for purpose in register.purposes:
        base = {
            "purpose": purpose.code,
            "purpose_name": purpose.name,
            "legal_basis": purpose.basis,
            "data_categories": "; ".join(purpose.data_categories),
            "purpose_recipients": "; ".join(purpose.recipients),
        }
        for source in purpose.sources or (None,):
            rows.append(base | _source_row(source))
    blank_purpose = dict.fromkeys(CSV_COLUMNS[:5], "")
    rows.extend(blank_purpose | _source_row(source) for source in register.other_sources)
    return rows


def _source_entry(source: PersonalDataSource, rules: dict[str, RetentionEntry]) -> SourceEntry:
    return SourceEntry(
        code=source.code,
        name=str(source.name),
        description=str(source.description),
        models=tuple(source.models),
        recipients=_texts(source.recipients),
        # A code no rule declares is a programming error the register shows rather than hides.
        retention=tuple(
            rules.get(code, RetentionEntry(code=code, description=_("Undeclared rule"), months=0))
            for code in source.retention
        ),
    )


def _texts(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


def _unique_sources(register: Register) -> list[SourceEntry]:
    seen: dict[str, SourceEntry] = {}
    for purpose in register.purposes:
        for source in purpose.sources:
            seen.setdefault(source.code, source)
    for source in register.other_sources:
        seen.setdefault(source.code, source)
    return list(seen.values())


def _source_json(source: SourceEntry) -> dict[str, Any]:
    return {
        "code": source.code,
        "name": source.name,
        "description": source.description,
        "models": list(source.models),
        "recipients": list(source.recipients),
        "retention_rules": [rule.code for rule in source.retention],
    }


def _source_row(source: SourceEntry | None) -> dict[str, str]:
    if source is None:
        return dict.fromkeys(CSV_COLUMNS[5:], "")
    return {
        "source": source.code,
        "source_name": source.name,
        "models": "; ".join(source.models),
        "source_recipients": "; ".join(source.recipients),
        "retention": "; ".join(f"{rule.code} ({rule.months})" for rule in source.retention),
    }
