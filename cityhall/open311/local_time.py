"""Date-times read from the database as text, written as W3C date-times in the city's zone.

A page of requests holds a few thousand date-times. The database driver's zone-aware parser,
`astimezone` and `isoformat` cost over a microsecond each per value; here each UTC day's 24
hours are converted once per process, and a value costs a lookup and a concatenation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

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
    days_zone, days = _days
    if days_zone is not zone:
        days = _start_over(zone)
    day = text[:10]
    try:
        hours = days[day]
    except KeyError:
        if len(days) >= CACHED_DAYS:
            days.clear()
        hours = days[day] = _local_hours(zone, day)
    if hours is None:
        return parse_utc(text).astimezone(zone).isoformat(timespec="seconds")
    local_hour, offset = hours[text[11:13]]
    return local_hour + text[13:19] + offset


_Hours = dict[str, tuple[str, str]]

#: The default time zone and each UTC day's `_local_hours` in it.
_days: tuple[tzinfo | None, dict[str, _Hours | None]] = (None, {})


def _start_over(zone: tzinfo) -> dict[str, _Hours | None]:
    """Forget the days of another zone (the setting changed, in tests)."""
    global _days
    _days = (zone, {})
    return _days[1]


def _local_hours(zone: tzinfo, day: str) -> _Hours | None:
    """For each UTC hour ("00" to "23") of a day: its local "YYYY-MM-DDTHH" and offset.

    None when an offset there is not whole hours: minutes and seconds then change too.
    """
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    hours = {}
    for hour in range(24):
        local = (start + hour * _HOUR).astimezone(zone)
        offset = local.utcoffset()
        if offset is None or offset % _HOUR:
            return None
        text = local.isoformat(timespec="seconds")
        hours[f"{hour:02d}"] = (text[:13], text[19:])
    return hours
