"""Reading source files: UTF-8 text (with or without a BOM) and GeoJSON FeatureCollections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from django.utils.translation import gettext_lazy as _

from cityhall.places.errors import ImportFailed, ImportProblem

BOM = "\ufeff"


def whole_file_problem(message: object) -> ImportFailed:
    """An ImportFailed for a problem with the file as a whole (`message` may be lazy)."""
    return ImportFailed([ImportProblem(where="", message=str(message))])


def feature_label(index: int) -> str:
    """How problems name a feature: its 0-based position in the `features` array."""
    return str(_("feature #%(index)d") % {"index": index})


def read_text(source: Path | TextIO) -> str:
    """The whole source as text. Raises ImportFailed when it is unreadable or not UTF-8."""
    try:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source.read()
    except UnicodeDecodeError as error:
        raise whole_file_problem(
            _("the file is not UTF-8 text (byte %(position)d)") % {"position": error.start}
        ) from error
    except OSError as error:
        raise whole_file_problem(
            _("the file cannot be read: %(reason)s") % {"reason": error.strerror or error}
        ) from error
    return text.removeprefix(BOM)


def read_features(source: Path | TextIO) -> list[Any]:
    """The `features` of a GeoJSON FeatureCollection. Raises ImportFailed for anything else."""
    try:
        document = json.loads(read_text(source))
    except json.JSONDecodeError as error:
        raise whole_file_problem(
            _("the file is not valid JSON (line %(line)d, column %(column)d: %(reason)s)")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise whole_file_problem(_("the file is not a GeoJSON FeatureCollection"))
    features = document.get("features")
    if not isinstance(features, list):
        raise whole_file_problem(_("the FeatureCollection has no list of features"))
    return features


def feature_properties(feature: Any) -> dict[str, Any] | None:
    """A feature's properties (empty when null), or None when it is not a GeoJSON Feature."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return None
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def text_property(properties: dict[str, Any], name: str | None) -> str:
    """A property as stripped text ("" when missing or null); numbers become their digits."""
    if name is None:
        return ""
    value = properties.get(name)
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).replace("\xa0", " ").strip()
