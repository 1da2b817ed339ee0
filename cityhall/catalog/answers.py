"""Checking a citizen's answers to a service's extra fields, the same way on every channel.

`photo_problem` checks the service's photo rule (`Service.requires_photo`) the same way.

`clean_answers` returns JSON-ready values keyed by field code: strings stay strings, numbers
become int or float, date-times become ISO 8601 strings in UTC, a single choice is its key and a
multiple choice is a list of keys in the form's order. Empty optional answers are left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cityhall.catalog.models import Service, ServiceField
from cityhall.core.errors import InvalidInput

Datatype = ServiceField.Datatype
JsonValue = str | int | float | list[str]

MAX_STRING_LENGTH = 500
MAX_TEXT_LENGTH = 4000


class _FieldError(Exception):
    """One answer is wrong; the message is already translated."""


def clean_answers(
    *, service: Service, answers: Mapping[str, Any], fields: Iterable[ServiceField] | None = None
) -> dict[str, JsonValue]:
    """Validate `answers` (field code → raw value) against the service's fields.

    `fields` may be passed when the caller already holds them with their choices prefetched.
    Raises InvalidInput whose `fields` maps each wrong field code to translated messages:
    a missing required answer, a value of the wrong type, an unknown choice or an unknown field.
    """
    if fields is None:
        fields = service.fields.prefetch_related("choices")
    by_code = {field.code: field for field in fields}
    errors: dict[str, list[str]] = {
        code: [_("This form has no such field.")] for code in answers if code not in by_code
    }
    cleaned: dict[str, JsonValue] = {}
    for code, field in by_code.items():
        raw = answers.get(code)
        if _is_empty(raw):
            if field.is_required:
                errors[code] = [_("This field is required.")]
            continue
        try:
            cleaned[code] = _CLEANERS[field.datatype](field, raw)
        except _FieldError as error:
            errors[code] = [str(error)]
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def photo_problem(*, service: Service, photo_count: int) -> str | None:
    """Why a request with `photo_count` photos may not be filed for `service`, or None.

    A service that requires a photo refuses a request without one; any count is fine
    for the others (how many photos and which files are accepted is the intake's rule).
    """
    if service.requires_photo and photo_count < 1:
        return _("Add at least one photo of the problem.")
    return None


def _is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    return isinstance(raw, list | tuple) and len(raw) == 0


def _clean_text(raw: Any, max_length: int) -> str:
    if not isinstance(raw, str):
        raise _FieldError(_("Enter text."))
    value = raw.strip()
    if len(value) > max_length:
        raise _FieldError(_("Enter at most %(count)d characters.") % {"count": max_length})
    return value


def _clean_string(field: ServiceField, raw: Any) -> str:
    return _clean_text(raw, MAX_STRING_LENGTH)


def _clean_long_text(field: ServiceField, raw: Any) -> str:
    return _clean_text(raw, MAX_TEXT_LENGTH)


def _clean_number(field: ServiceField, raw: Any) -> int | float:
    # bool is an int subclass, and True is not an answer to "how many?".
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise _FieldError(_("Enter a number."))
    try:
        number = Decimal(raw.strip().replace(",", ".") if isinstance(raw, str) else str(raw))
    except InvalidOperation:
        raise _FieldError(_("Enter a number.")) from None
    if not number.is_finite() or not math.isfinite(float(number)):
        raise _FieldError(_("Enter a number."))
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_datetime(field: ServiceField, raw: Any) -> str:
    value: datetime | None
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, str):
        try:
            value = parse_datetime(raw.strip())
        except ValueError:
            value = None
    else:
        value = None
    if value is None:
        raise _FieldError(_("Enter a date and time, such as 2026-01-31T14:30-05:00."))
    if value.tzinfo is None:
        raise _FieldError(_("Give the time zone, such as 2026-01-31T14:30-05:00."))
    return value.astimezone(UTC).isoformat()


def _choice_keys(field: ServiceField) -> list[str]:
    return [choice.key for choice in field.choices.all()]


def _clean_single_choice(field: ServiceField, raw: Any) -> str:
    if not isinstance(raw, str) or raw not in _choice_keys(field):
        raise _FieldError(_("Choose one of the offered answers."))
    return raw


def _clean_multiple_choice(field: ServiceField, raw: Any) -> list[str]:
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise _FieldError(_("Choose among the offered answers."))
    keys = _choice_keys(field)
    if any(value not in keys for value in values):
        raise _FieldError(_("Choose among the offered answers."))
    return [key for key in keys if key in values]


_CLEANERS: dict[str, Callable[[ServiceField, Any], JsonValue]] = {
    Datatype.STRING: _clean_string,
    Datatype.TEXT: _clean_long_text,
    Datatype.NUMBER: _clean_number,
    Datatype.DATETIME: _clean_datetime,
    Datatype.SINGLE_VALUE_LIST: _clean_single_choice,
    Datatype.MULTI_VALUE_LIST: _clean_multiple_choice,
}
