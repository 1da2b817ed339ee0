"""Reading a catalog description (JSON) into typed entries, before anything is written.

The format, every text in English and French::

    {"topics": [{"slug", "name_en", "name_fr", "order"}],
     "services": [{"code", "department", "topic", "name_en", "name_fr", "description_en",
                   "description_fr", "keywords_en", "keywords_fr", "synonyms_en", "synonyms_fr",
                   "districts", "requires_location", "requires_photo", "allows_anonymous",
                   "is_sensitive", "is_active", "accepts_requests", "sla_hours", "sla_calendar",
                   "duplicate_radius_m", "duplicate_window_hours",
                   "fields": [{"code", "datatype", "required", "private", "label_en", "label_fr",
                               "help_en", "help_fr", "choices": [{"key", "name_en", "name_fr"}]}],
                   "routing": [{"department", "district", "field", "value"}]}]}

Departments, topics and districts are named by code. A mistake raises InvalidInput naming
where it is, such as `services.3.fields.0.datatype`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from django.utils.translation import gettext as _

from cityhall.catalog.specs import ChoiceSpec, FieldSpec
from cityhall.core.errors import InvalidInput

SERVICE_TEXTS = ("description_en", "description_fr")
SERVICE_TERMS = ("keywords_en", "keywords_fr", "synonyms_en", "synonyms_fr")
SERVICE_FLAGS = {
    "requires_location": False, "requires_photo": False, "allows_anonymous": False,
    "is_sensitive": False, "is_active": True, "accepts_requests": True,
}  # fmt: skip
SERVICE_NUMBERS = {
    "sla_hours": 72, "duplicate_radius_m": 50, "duplicate_window_hours": 72,
}  # fmt: skip
SERVICE_KEYS = frozenset(
    {"code", "department", "topic", "name_en", "name_fr", "districts", "sla_calendar", "fields",
     "routing", *SERVICE_TEXTS, *SERVICE_TERMS, *SERVICE_FLAGS, *SERVICE_NUMBERS}
)  # fmt: skip


@dataclass(frozen=True)
class TopicEntry:
    slug: str
    name_en: str
    name_fr: str
    order: int


@dataclass(frozen=True)
class RuleEntry:
    department: str
    district: str = ""
    field_code: str = ""
    field_value: str = ""


@dataclass(frozen=True)
class ServiceEntry:
    """One service as described; `details` are ServiceDetails' plain values."""

    code: str
    department: str
    topic: str
    districts: tuple[str, ...]
    details: dict[str, Any]
    fields: tuple[FieldSpec, ...]
    rules: tuple[RuleEntry, ...]


@dataclass(frozen=True)
class CatalogDescription:
    topics: tuple[TopicEntry, ...]
    services: tuple[ServiceEntry, ...]


def _fail(path: str, message: str) -> InvalidInput:
    return InvalidInput(fields={path: [message]})


def _object(data: Any, path: str, allowed: frozenset[str] | set[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _fail(path, _("Expected an object."))
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise _fail(f"{path}.{unknown[0]}", _("Unknown key."))
    return data


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(f"{path}.{key}", _("Expected some text."))
    return value.strip()


def _value(data: Mapping[str, Any], key: str, path: str, default: Any) -> Any:
    value = data.get(key, default)
    # bool is an int subclass: each must be exactly the type of its default.
    if type(value) is not type(default):
        raise _fail(f"{path}.{key}", _("Expected a value like %(example)s.") % {"example": default})
    return value


def _texts(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise _fail(f"{path}.{key}", _("Expected a list of texts."))
    return tuple(values)


def _objects(data: Mapping[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
    values = data.get(key, [])
    where = f"{path}.{key}" if path else key
    if not isinstance(values, list):
        raise _fail(where, _("Expected a list."))
    return [(f"{where}.{position}", value) for position, value in enumerate(values)]


def _topic(path: str, data: Any) -> TopicEntry:
    data = _object(data, path, {"slug", "name_en", "name_fr", "order"})
    return TopicEntry(
        slug=_text(data, "slug", path),
        name_en=_text(data, "name_en", path),
        name_fr=_text(data, "name_fr", path),
        order=_value(data, "order", path, 0),
    )


def _choice(path: str, data: Any) -> ChoiceSpec:
    data = _object(data, path, {"key", "name_en", "name_fr"})
    return ChoiceSpec(
        key=_text(data, "key", path),
        name_en=_text(data, "name_en", path),
        name_fr=_text(data, "name_fr", path),
    )


def _field(path: str, data: Any, order: int) -> FieldSpec:
    keys = {"code", "datatype", "required", "private", "label_en", "label_fr", "help_en",
            "help_fr", "choices"}  # fmt: skip
    data = _object(data, path, keys)
    return FieldSpec(
        code=_text(data, "code", path),
        datatype=_text(data, "datatype", path),
        label_en=_text(data, "label_en", path),
        label_fr=_text(data, "label_fr", path),
        is_required=_value(data, "required", path, False),
        is_private=_value(data, "private", path, False),
        help_text_en=_text(data, "help_en", path, required=False),
        help_text_fr=_text(data, "help_fr", path, required=False),
        order=order,
        choices=tuple(_choice(p, item) for p, item in _objects(data, "choices", path)),
    )


def _rule(path: str, data: Any) -> RuleEntry:
    data = _object(data, path, {"department", "district", "field", "value"})
    return RuleEntry(
        department=_text(data, "department", path),
        district=_text(data, "district", path, required=False),
        field_code=_text(data, "field", path, required=False),
        field_value=_text(data, "value", path, required=False),
    )


def _service(path: str, data: Any) -> ServiceEntry:
    data = _object(data, path, SERVICE_KEYS)
    details: dict[str, Any] = {
        "name_en": _text(data, "name_en", path),
        "name_fr": _text(data, "name_fr", path),
        "sla_calendar": _text(data, "sla_calendar", path, required=False) or "business_hours",
    }
    details |= {key: _text(data, key, path, required=False) for key in SERVICE_TEXTS}
    details |= {key: _texts(data, key, path) for key in SERVICE_TERMS}
    details |= {key: _value(data, key, path, default) for key, default in SERVICE_FLAGS.items()}
    details |= {key: _value(data, key, path, default) for key, default in SERVICE_NUMBERS.items()}
    fields = _objects(data, "fields", path)
    return ServiceEntry(
        code=_text(data, "code", path),
        department=_text(data, "department", path),
        topic=_text(data, "topic", path, required=False),
        districts=_texts(data, "districts", path),
        details=details,
        fields=tuple(_field(p, item, order) for order, (p, item) in enumerate(fields)),
        rules=tuple(_rule(p, item) for p, item in _objects(data, "routing", path)),
    )


def read_catalog(source: Mapping[str, Any] | TextIO) -> CatalogDescription:
    """Parse a catalog description given as a dict or a JSON text stream.

    Raises InvalidInput naming the first wrong place; nothing is looked up in the database.
    """
    if not isinstance(source, Mapping):
        try:
            source = json.load(source)
        except json.JSONDecodeError as error:
            raise _fail("source", _("This is not valid JSON.")) from error
    data = _object(source, "catalog", {"topics", "services"})
    return CatalogDescription(
        topics=tuple(_topic(path, item) for path, item in _objects(data, "topics", "")),
        services=tuple(_service(path, item) for path, item in _objects(data, "services", "")),
    )
