"""Writing a person's export: one ZIP with a JSON and a CSV file per table, and a README.

Files are named `<source code>/<table>.json` and `.csv`. Both hold the same rows; in the CSV
an empty cell is a null, booleans read `true`/`false`, lists and objects are written as JSON,
and text a spreadsheet would take for a formula starts with an apostrophe (`csv_cell`). The ZIP
is written to a temporary file, never held whole in memory.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.privacy.registry import ExportTable, PersonalDataSource

if TYPE_CHECKING:
    from cityhall.accounts.models import User


#: A cell starting with one of these is a formula to a spreadsheet program (OWASP's "CSV
#: injection"): a staff note could then run in the citizen's spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """How a JSON value of an export row is written in its CSV file.

    Text that a spreadsheet would read as a formula (a phone number such as +1 514…, too) is
    written after an apostrophe, which spreadsheets show as text and do not display.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def write_export_zip(user: User, sources: Sequence[PersonalDataSource]) -> IO[bytes]:
    """A temporary file holding the ZIP of everything `sources` export about `user`, rewound.

    The caller closes it (which deletes it).
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (returned to the caller, who closes it)
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        listed: list[tuple[PersonalDataSource, list[str]]] = []
        for source in sources:
            names = []
            for table in source.export(user):
                base = f"{source.code}/{table.name}"
                archive.writestr(f"{base}.json", _json_bytes(table))
                archive.writestr(f"{base}.csv", _csv_bytes(table.rows))
                names.append(base)
            listed.append((source, names))
        archive.writestr("README.txt", _readme(listed))
    spool.seek(0)
    return spool


def _json_bytes(table: ExportTable) -> bytes:
    return json.dumps(list(table.rows), ensure_ascii=False, indent=1).encode()


def _csv_bytes(rows: Iterable[dict[str, Any]] | Sequence[Any]) -> bytes:
    rows = list(rows)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    # A byte-order mark lets spreadsheet programs read the accents right.
    return ("\ufeff" + text.getvalue()).encode()


def _readme(listed: list[tuple[PersonalDataSource, list[str]]]) -> str:
    parts = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            parts.append(_readme_in_language(listed))
    return "\n\n".join(parts)


def _readme_in_language(listed: list[tuple[PersonalDataSource, list[str]]]) -> str:
    lines = [
        _("Your data held by %(city)s") % {"city": settings.CITYHALL_CITY_NAME},
        _("Prepared on %(date)s.") % {"date": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        "",
        _(
            "Each table comes as a JSON file and a CSV file holding the same rows. In the CSV "
            "files, an empty cell means no value, lists are written as JSON, and text that a "
            "spreadsheet would read as a formula starts with an apostrophe. Dates are in ISO "
            "8601 with their offset from UTC."
        ),
    ]
    for source, names in listed:
        lines += ["", f"{source.name} ({source.code})", f"  {source.description}"]
        lines += [f"  - {name}.json, {name}.csv" for name in names]
    return "\n".join(lines) + "\n"
