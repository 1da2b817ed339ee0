"""Tracking numbers citizens can read over the phone: RAS-26-000123.

Each year has its own run of numbers. On PostgreSQL a year's numbers come from a sequence
(`servicerequests_tracking_<year>`), created by the first filing of the year: `nextval` never
waits for another transaction, so concurrent filings do not queue behind one another. A
number taken by a filing that then fails is not handed out again, so a year's numbers may
have gaps; they are unique and increase with the order in which filings took them.

Elsewhere (SQLite, which has one writer at a time anyway) the year's `TrackingNumberCounter`
row is bumped inside the filing's transaction, so a rolled-back filing leaves no gap there.
A sequence starts after the value of its year's counter row, so a database that moves to
PostgreSQL, or a bulk load that sets counters, carries on from the numbers already given.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import F

from cityhall.servicerequests.models import TrackingNumberCounter

#: pg_advisory_xact_lock key taken while a year's sequence is created (any fixed bigint).
_CREATION_LOCK = 0x7472_6163_6B69_6E67  # "tracking"


def tracking_prefix() -> str:
    """The initials of the city's name ("Rivière-aux-Saules" → "RAS"), at most five letters."""
    return _prefix_of(str(settings.CITYHALL_CITY_NAME))


@lru_cache(maxsize=8)
def _prefix_of(city_name: str) -> str:
    name = unicodedata.normalize("NFKD", city_name)
    words = re.findall(r"[A-Za-z0-9]+", name.encode("ascii", "ignore").decode("ascii"))
    return "".join(word[0] for word in words)[:5].upper() or "REQ"


def format_tracking_number(year: int, value: int) -> str:
    """The tracking number `value` of `year`, with this city's prefix."""
    return f"{tracking_prefix()}-{year % 100:02d}-{value:06d}"


def next_tracking_number(submitted_at: datetime) -> str:
    """Hand out the next number of the year of `submitted_at`; call inside a transaction.

    Two calls, concurrent or not, never return the same number. On PostgreSQL the call does
    not wait for other transactions (but the number is lost if the caller rolls back);
    elsewhere it keeps the database write-locked until the caller's transaction ends.
    """
    year = submitted_at.year
    if connection.vendor == "postgresql":
        value = _next_from_sequence(year)
    else:
        value = _next_from_counter(year)
    return format_tracking_number(year, value)


def last_tracking_values() -> dict[int, int]:
    """Year → the last number handed out that year (for bulk loads that number rows).

    Read on PostgreSQL from the sequences where they exist, from the counter rows otherwise.
    """
    values = dict(TrackingNumberCounter.objects.values_list("year", "last_value"))
    if connection.vendor == "postgresql":
        for year, value in _sequence_last_values().items():
            values[year] = max(value, values.get(year, 0))
    return values


def continue_tracking_numbers(year: int, last_value: int) -> None:
    """Make the next number of `year` be `last_value` + 1 (after a bulk load numbered rows).

    Never moves a year's numbers backwards; call with no filing running.
    """
    counter, _created = TrackingNumberCounter.objects.get_or_create(year=year)
    if counter.last_value < last_value:
        counter.last_value = last_value
        counter.save(update_fields=["last_value"])
    if connection.vendor == "postgresql":
        current = _sequence_last_values().get(year)
        if current is not None and current < last_value:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, %s)", [_sequence_name(year), last_value])


def _next_from_counter(year: int) -> int:
    # The counter is bumped with an UPDATE before it is read, so the row stays locked (on
    # SQLite, the database stays write-locked) until the caller's transaction ends: two
    # concurrent filings can never read the same value.
    value = _bump(year)
    if value is None:
        try:
            with transaction.atomic():
                TrackingNumberCounter.objects.create(year=year, last_value=1)
            return 1
        except IntegrityError:
            # Another filing created the year's counter first; bump that one.
            value = _bump(year)
    assert value is not None  # the row exists now
    return value


def _bump(year: int) -> int | None:
    updated = TrackingNumberCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    if not updated:
        return None
    return TrackingNumberCounter.objects.values_list("last_value", flat=True).get(year=year)


def _sequence_name(year: int) -> str:
    return f"servicerequests_tracking_{int(year)}"


_SEQUENCE_NAME = re.compile(r"servicerequests_tracking_(?P<year>[0-9]+)")


def _next_from_sequence(year: int) -> int:
    name = _sequence_name(year)
    with connection.cursor() as cursor:
        # to_regclass gives NULL for a missing sequence, and nextval(NULL) is NULL: no error
        # that would abort the caller's transaction.
        cursor.execute("SELECT nextval(to_regclass(%s))", [name])
        value = cursor.fetchone()[0]
        if value is None:
            _create_sequence(cursor, year)
            cursor.execute("SELECT nextval(%s)", [name])
            value = cursor.fetchone()[0]
    return int(value)


def _create_sequence(cursor: CursorWrapper, year: int) -> None:
    """Create the year's sequence unless it exists, safely against concurrent first filings."""
    # Held until the caller's transaction ends, so that a concurrent first filing waits for
    # this one's commit (or rollback) and then finds the sequence (or creates it).
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CREATION_LOCK])
    start = (
        TrackingNumberCounter.objects.filter(year=year).values_list("last_value", flat=True).first()
        or 0
    ) + 1
    # DDL takes no parameters; both values are integers.
    cursor.execute(
        f"CREATE SEQUENCE IF NOT EXISTS {_sequence_name(year)} AS bigint MINVALUE 1 "
        f"START WITH {int(start)}"
    )


def _sequence_last_values() -> dict[int, int]:
    """Year → the last value its sequence handed out (start - 1 before the first)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, start_value, last_value FROM pg_sequences "
            "WHERE schemaname = current_schema()"
        )
        rows = cursor.fetchall()
    values = {}
    for name, start_value, last_value in rows:
        match = _SEQUENCE_NAME.fullmatch(name)
        if match is not None:
            # last_value is NULL until the first nextval.
            values[int(match["year"])] = int(start_value - 1 if last_value is None else last_value)
    return values
