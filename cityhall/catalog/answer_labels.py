"""Stored answers as people read them: each question's label and each choice's name in the active
language, in the form's order, instead of field codes and choice keys.

An answer to a question the service no longer asks keeps its code as its label, and its stored
value as text, so that nothing a citizen said is hidden from staff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from cityhall.catalog.models import ServiceField

Datatype = ServiceField.Datatype


@dataclass(frozen=True)
class LabelledAnswer:
    """One answer: the question as asked, the answer as offered (both in the active language)."""

    code: str
    label: str
    value: str


def label_answers(
    *, fields: Iterable[ServiceField], answers: Mapping[str, Any]
) -> list[LabelledAnswer]:
    """The answers of `answers` (field code → stored value) labelled by `fields`.

    `fields` should come with their choices prefetched (`fields_for_request_form`).
    """
    language = get_language()
    by_code = {field.code: field for field in fields}
    labelled = [
        LabelledAnswer(code, field.label_in(language), _value(field, answers[code], language))
        for code, field in by_code.items()
        if code in answers
    ]
    labelled += [
        LabelledAnswer(code, code, _plain(answers[code]))
        for code in sorted(answers)
        if code not in by_code
    ]
    return labelled


def _value(field: ServiceField, stored: Any, language: str | None) -> str:
    if field.is_list:
        names = {choice.key: choice.name_in(language) for choice in field.choices.all()}
        keys = stored if isinstance(stored, list) else [stored]
        return ", ".join(names.get(str(key), str(key)) for key in keys)
    if field.datatype == Datatype.NUMBER and isinstance(stored, int | float):
        return formats.number_format(stored, use_l10n=True)
    if field.datatype == Datatype.DATETIME and isinstance(stored, str):
        moment = parse_datetime(stored)
        if moment is not None and moment.tzinfo is not None:
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return _plain(stored)


def _plain(stored: Any) -> str:
    if isinstance(stored, list):
        return ", ".join(str(item) for item in stored)
    return str(stored)
