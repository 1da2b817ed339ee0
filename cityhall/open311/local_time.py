"""Date-times read from the database as text, written as W3C date-times in the city's zone.

A page of requests holds a few thousand date-times. The database driver's zone-aware parser,
`astimezone` and `isoformat` cost over a microsecond each per value; here each UTC day's 24
hours are converted once per process, and a value costs a lookup and a concatenation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

from django.utils import timezone

#: Days kept per process: two years of history and then some.
CACHED_DAYS = 1024

_HOUR = timedelta(hours=1)


def parse_utc(text: str) -> datetime:
    """An aware datetime from the database's UTC text ("2026-03-08 07:30:00.5+00" or, from
    SQLite, without the offset)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def w3c(text: str) -> str:
    """The database's UTC text as "2026-03-08T03:30:00-04:00", in the default time zone.

    The same as `parse_utc(text).astimezone(zone).isoformat(timespec="seconds")`.
    """
    zone = timezone.get_default_timezone()
    hours = _local_hours(zone, text[:10])
    if hours is None:
        return parse_utc(text).astimezone(zone).isoformat(timespec="seconds")
    local_hour, offset = hours[int(text[11:13])]
    return local_hour + text[13:19] + offset


@lru_cache(maxsize=CACHED_DAYS)
def _local_hours(zone: tzinfo, day: str) -> tuple[tuple[str, str], ...] | None:
    """For each hour of a UTC day: its local "YYYY-MM-DDTHH" and offset ("-04:00").

    None when an offset there is not whole hours: minutes and seconds then change too.
    """
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    hours = []
    for hour in range(24):
        local = (start + hour * _HOUR).astimezone(zone)
        offset = local.utcoffset()
        if offset is None or offset % _HOUR:
            return None
        text = local.isoformat(timespec="seconds")
        hours.append((text[:13], text[19:]))
    return tuple(hours)
