"""Checking API input (bodies and query strings) into the error contract's field errors.

`validated(Input, data)` runs a serializer and raises InvalidInput whose `fields` map each
wrong input to its messages, with nested names joined by dots (`answers.colour`), so that
every 400 has the same flat shape. Names the serializer does not declare are refused too:
a misspelt filter or field must not be silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers

from cityhall.core.errors import InvalidInput

S = TypeVar("S", bound=serializers.Serializer[Any])


def validated(
    serializer_class: type[S], data: Any, *, also_known: Iterable[str] = ()
) -> dict[str, Any]:
    """The serializer's validated data; InvalidInput for wrong or unknown inputs.

    A QueryDict (a query string) is read with one value per name, except for list fields.
    `also_known` names inputs checked elsewhere (PAGE_PARAMETERS, by the paginator).
    """
    serializer = serializer_class(data=_plain(data, serializer_class))
    errors: dict[str, list[str]] = {}
    if isinstance(data, Mapping):
        known = set(serializer.fields) | set(also_known)
        for name in sorted(set(data) - known):
            errors[str(name)] = [_("This field is not known.")]
    if not serializer.is_valid():
        errors.update(flatten_errors(serializer.errors))
    if errors:
        raise InvalidInput(fields=errors)
    return dict(serializer.validated_data)


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
