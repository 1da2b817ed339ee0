"""Addresses from an address-register CSV.

Header: `id,civic_number,street_name,unit,postal_code,municipality,latitude,longitude`
(any order; `civic_number`, `street_name`, `latitude` and `longitude` are required). A row
is matched on its `id` when it has one, otherwise on its address text and municipality,
so importing the same register again updates in place.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.places.addresstext import search_key_for
from cityhall.places.districting import DistrictLocator
from cityhall.places.errors import ImportFailed, ImportProblem, RowError
from cityhall.places.geometry import coordinates_problem
from cityhall.places.h3cells import cell_for
from cityhall.places.importers.report import ImportReport
from cityhall.places.importers.sources import whole_file_problem
from cityhall.places.models import Address

REQUIRED_COLUMNS = ("civic_number", "street_name", "latitude", "longitude")


def _max_length(field_name: str) -> int:
    field = Address._meta.get_field(field_name)
    assert isinstance(field, models.CharField)
    return field.max_length or 0


TEXT_COLUMNS = {
    column: _max_length(field)
    for column, field in [
        ("id", "source_id"), ("civic_number", "civic_number"), ("street_name", "street_name"),
        ("unit", "unit"), ("postal_code", "postal_code"), ("municipality", "municipality"),
    ]
}  # fmt: skip
WRITTEN_FIELDS = [
    "civic_number", "street_name", "unit", "postal_code", "municipality", "latitude",
    "longitude", "h3_cell", "district_id", "search_key", "source_id",
]  # fmt: skip
BATCH_SIZE = 900


@dataclass
class AddressRow:
    line: int
    source_id: str
    civic_number: str
    street_name: str
    unit: str
    postal_code: str
    municipality: str
    latitude: float
    longitude: float

    @cached_property
    def search_key(self) -> str:
        return search_key_for(
            civic_number=self.civic_number, street_name=self.street_name, unit=self.unit
        )

    @property
    def match_key(self) -> str:
        """What identifies the row in the register: its id, else its text and municipality."""
        if self.source_id:
            return f"id:{self.source_id}"
        return f"text:{self.search_key}|{self.municipality.casefold()}"


def line_label(line: int) -> str:
    return str(_("line %(line)d") % {"line": line})


def _records(text: str) -> Iterator[tuple[int, dict[str | None, str | list[str] | None]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        _check_header(reader)
        for record in reader:
            yield reader.line_num, record
    except csv.Error as error:
        # A broken quote makes every later line unreliable, so reading stops here.
        raise whole_file_problem(
            _("line %(line)d cannot be read as CSV: %(reason)s")
            # DictReader's own line_num is only updated after a record is read whole.
            % {"line": reader.reader.line_num, "reason": error}
        ) from error


def _check_header(reader: csv.DictReader[str]) -> None:
    fieldnames = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in fieldnames]
    if missing:
        raise whole_file_problem(
            _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = fieldnames


def _texts(record: dict[str | None, str | list[str] | None]) -> dict[str, str]:
    if record.get(None):
        raise RowError(_("the row has more values than the header has columns"))
    texts: dict[str, str] = {}
    for column, limit in TEXT_COLUMNS.items():
        value = record.get(column)
        texts[column] = value.replace("\xa0", " ").strip() if isinstance(value, str) else ""
        if len(texts[column]) > limit:
            raise RowError(
                _("%(column)s is longer than %(limit)d characters")
                % {"column": column, "limit": limit}
            )
    for column in ("civic_number", "street_name"):
        if not texts[column]:
            raise RowError(_("%(column)s is empty") % {"column": column})
    return texts


def _coordinates(record: dict[str | None, str | list[str] | None]) -> tuple[float, float]:
    values: list[float] = []
    for column in ("latitude", "longitude"):
        raw = record.get(column)
        if not isinstance(raw, str) or not raw.strip():
            raise RowError(_("%(column)s is empty") % {"column": column})
        try:
            values.append(float(raw))
        except ValueError:
            raise RowError(
                _("%(column)s %(value)r is not a number") % {"column": column, "value": raw}
            ) from None
    problem = coordinates_problem(values[0], values[1])
    if problem:
        raise RowError(problem)
    return values[0], values[1]


def _parse_record(line: int, record: dict[str | None, str | list[str] | None]) -> AddressRow:
    texts = _texts(record)
    latitude, longitude = _coordinates(record)
    return AddressRow(
        line=line,
        source_id=texts["id"],
        civic_number=texts["civic_number"],
        street_name=texts["street_name"],
        unit=texts["unit"],
        postal_code=texts["postal_code"],
        municipality=texts["municipality"],
        latitude=latitude,
        longitude=longitude,
    )


def parse_addresses(text: str) -> list[AddressRow]:
    """Check every row. Raises ImportFailed listing each bad line and repeated address."""
    rows: list[AddressRow] = []
    problems: list[ImportProblem] = []
    first_line_for_key: dict[str, int] = {}
    for line, record in _records(text):
        try:
            row = _parse_record(line, record)
        except RowError as error:
            problems.append(ImportProblem(where=line_label(line), message=str(error)))
            continue
        other_line = first_line_for_key.setdefault(row.match_key, line)
        if other_line != line:
            message = _("this address repeats line %(line)d") % {"line": other_line}
            problems.append(ImportProblem(where=line_label(line), message=str(message)))
        rows.append(row)
    if not rows and not problems:
        problems.append(ImportProblem(where="", message=str(_("the file has no addresses"))))
    if problems:
        raise ImportFailed(problems)
    return rows


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    # Keeps each IN (...) under SQLite's limit on query parameters.
    for start in range(0, len(values), BATCH_SIZE):
        yield values[start : start + BATCH_SIZE]


def _existing_addresses(rows: Sequence[AddressRow]) -> dict[str, Address]:
    existing: dict[str, Address] = {}
    source_ids = [row.source_id for row in rows if row.source_id]
    for chunk in _chunks(source_ids):
        for address in Address.objects.filter(source_id__in=chunk):
            existing[f"id:{address.source_id}"] = address
    search_keys = [row.search_key for row in rows if not row.source_id]
    for chunk in _chunks(search_keys):
        for address in Address.objects.filter(source_id="", search_key__in=chunk):
            existing[f"text:{address.search_key}|{address.municipality.casefold()}"] = address
    return existing


def _values(row: AddressRow, district_id: int | None) -> dict[str, Any]:
    return {
        "civic_number": row.civic_number,
        "street_name": row.street_name,
        "unit": row.unit,
        "postal_code": row.postal_code,
        "municipality": row.municipality,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "h3_cell": cell_for(row.latitude, row.longitude),
        "district_id": district_id,
        "search_key": row.search_key,
        "source_id": row.source_id,
    }


def write_addresses(rows: Sequence[AddressRow]) -> ImportReport:
    """Create new addresses and update matched ones, each with its H3 cell and district.

    Call inside a transaction.
    """
    district_ids = DistrictLocator.from_database().locate(
        [row.latitude for row in rows], [row.longitude for row in rows]
    )
    existing = _existing_addresses(rows)
    to_create: list[Address] = []
    to_update: list[Address] = []
    now = timezone.now()
    for row, district_id in zip(rows, district_ids, strict=True):
        values = _values(row, district_id)
        address = existing.get(row.match_key)
        if address is None:
            to_create.append(Address(**values))
        elif any(getattr(address, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(address, field, value)
            address.updated_at = now  # bulk_update skips auto_now.
            to_update.append(address)
    Address.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Address.objects.bulk_update(to_update, [*WRITTEN_FIELDS, "updated_at"], batch_size=100)
    return ImportReport(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )
