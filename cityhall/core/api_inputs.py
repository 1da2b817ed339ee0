"""Checking API input (bodies and query strings) into the error contract's field errors.

`validated(Input, data)` runs a serializer and raises InvalidInput whose `fields` map each
wrong input to its messages, with nested names joined by dots (`answers.colour`), so that
every 400 has the same flat shape. Names the serializer does not declare are refused too:
a misspelt filter or field must not be silently ignored.

Hostile input is refused here rather than deeper down, where it would raise: whole numbers
are ASCII digits of bounded length (`whole_number`), date-times lie within EARLIEST..LATEST
so that time-zone arithmetic and the database cannot overflow (`datetime_problem`), and
JSON bodies are parsed by `DepthLimitedJSONParser`.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import IO, Any, TypeVar

from django.conf import settings
from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

from cityhall.core.errors import InvalidInput

S = TypeVar("S", bound=serializers.Serializer[Any])

#: Date-times outside these are refused: nothing the city records lies outside them, and
#: the margin to Python's and the databases' limits keeps offsets and windows from overflowing.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
#: More digits than any bounded parameter needs; refused before `int()` reads them.
MAX_DIGITS = 18
#: Deeper JSON than any API body needs (the deepest documented one is three levels).
MAX_JSON_DEPTH = 32


def validated(
    serializer_class: type[S], data: Any, *, also_known: Iterable[str] = ()
) -> dict[str, Any]:
    """The serializer's validated data; InvalidInput for wrong or unknown inputs.

    A QueryDict (a query string) is read with one value per name, except for list fields.
    `also_known` names inputs checked elsewhere (PAGE_PARAMETERS, by the paginator).
    """
    plain, errors = _without_datetimes_out_of_range(
        serializer_class().fields, _plain(data, serializer_class)
    )
    serializer = serializer_class(data=plain)
    if isinstance(data, Mapping):
        known = set(serializer.fields) | set(also_known)
        for name in sorted(set(data) - known):
            errors[str(name)] = [_("This field is not known.")]
    if not serializer.is_valid():
        # A date-time refused above may also be reported missing: its range message wins.
        errors = {**flatten_errors(serializer.errors), **errors}
    if errors:
        raise InvalidInput(fields=errors)
    return dict(serializer.validated_data)


def whole_number(raw: str, *, minimum: int, maximum: int) -> int | None:
    """`raw` as an int from `minimum` to `maximum`, or None.

    Only ASCII digits count ("²" and "٣" are digits to `str.isdigit`, not to `int`), and a
    long string is refused before `int()` reads it (it refuses more than 4,300 digits).
    """
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS:
        return None
    number = int(raw)
    return number if minimum <= number <= maximum else None


def datetime_problem(value: datetime | date) -> str | None:
    """Why a date or date-time is refused (outside EARLIEST..LATEST), or None.

    A naive value is compared as if it were UTC: the widest offset is a day, far inside the margin.
    """
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        inside = EARLIEST <= moment < LATEST
    else:
        inside = EARLIEST.date() <= value < LATEST.date()
    if inside:
        return None
    return _("Enter a date from %(earliest)d to %(latest)d.") % {
        "earliest": EARLIEST.year,
        "latest": LATEST.year - 1,
    }


def _without_datetimes_out_of_range(
    fields: Mapping[str, serializers.Field[Any, Any, Any, Any]], data: Any, prefix: str = ""
) -> tuple[Any, dict[str, list[str]]]:
    """`data` less the date-times outside EARLIEST..LATEST, and an error for each.

    Checked before DRF reads them: its own time-zone check overflows near year 1 and 9999.
    Nested serializers are walked too; values that do not parse are left for DRF to refuse.
    """
    if not isinstance(data, Mapping):
        return data, {}
    kept: dict[str, Any] = dict(data)
    errors: dict[str, list[str]] = {}
    for name, field in fields.items():
        if name not in kept:
            continue
        dotted = f"{prefix}.{name}" if prefix else name
        if isinstance(field, serializers.Serializer):
            kept[name], inner = _without_datetimes_out_of_range(field.fields, kept[name], dotted)
            errors.update(inner)
            continue
        problem = _raw_datetime_problem(field, kept[name])
        if problem:
            del kept[name]
            errors[dotted] = [problem]
    return kept, errors


def _raw_datetime_problem(field: serializers.Field[Any, Any, Any, Any], raw: Any) -> str | None:
    if not isinstance(raw, str) or not isinstance(
        field, serializers.DateTimeField | serializers.DateField
    ):
        return None
    try:
        value = parse_datetime(raw.strip()) or parse_date(raw.strip())
    except ValueError:  # well formed but impossible (month 13): DRF says so
        return None
    return datetime_problem(value) if value is not None else None


class DepthLimitedJSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_JSON_DEPTH with a 400.

    Python's decoder recurses once per level and raises RecursionError around a thousand;
    that and anything deeper than MAX_JSON_DEPTH are a parse error, never a 500.
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        except ValueError as error:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(_too_deep())
        return data


def json_depth(data: Any) -> int:
    """How many arrays and objects deep `data` nests (0 for a plain value); never recurses."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        pending.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep() -> str:
    return _("The JSON body is nested more than %(depth)d levels deep.") % {"depth": MAX_JSON_DEPTH}


def _plain(data: Any, serializer_class: type[S]) -> Any:
    if not isinstance(data, QueryDict):
        return data
    list_names = {
        name
        for name, field in serializer_class().fields.items()
        if isinstance(field, serializers.ListField | serializers.MultipleChoiceField)
    }
    return {name: data.getlist(name) if name in list_names else data.get(name) for name in data}


def flatten_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"dotted.name": ["message", …]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, Mapping):
        for name, value in errors.items():
            flat.update(flatten_errors(value, f"{prefix}.{name}" if prefix else str(name)))
    elif isinstance(errors, list) and all(isinstance(item, str) for item in errors):
        flat[prefix or "non_field_errors"] = [str(item) for item in errors]
    elif isinstance(errors, list):
        for index, item in enumerate(errors):
            flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


class NoParameters(serializers.Serializer[Any]):
    """For endpoints that take no query parameters: `validated` refuses any it is given."""
