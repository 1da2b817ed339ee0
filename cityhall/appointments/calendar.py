"""Appointments as iCalendar (RFC 5545): an attachment for one booking, a feed for a person.

Times are written in the city's zone (`TZID`) with a VTIMEZONE that states the zone's offsets
and the transitions of each year the events fall in, taken from the system's zone database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from cityhall.appointments.models import Booking
from cityhall.appointments.slots import city_zone

PRODUCT = "-//CityHall//Appointments//EN"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(city_zone()).strftime("%Y%m%dT%H%M%S")


def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta, bool]]:
    """(local start, offset before, offset after, is daylight) of each change in `year`."""
    zone = city_zone()
    found = []
    moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    previous = moment.astimezone(zone).utcoffset()
    while moment.year == year:
        step = moment + dt.timedelta(hours=1)
        offset = step.astimezone(zone).utcoffset()
        if offset != previous:
            local = step.astimezone(zone).replace(tzinfo=None)
            is_dst = bool(step.astimezone(zone).dst())
            found.append((local, previous or dt.timedelta(0), offset or dt.timedelta(0), is_dst))
            previous = offset
        moment = step
    return found


def _vtimezone(years: set[int]) -> list[str]:
    lines = ["BEGIN:VTIMEZONE", f"TZID:{settings.TIME_ZONE}"]
    for year in sorted(years):
        # A zone without changes keeps one standard offset from the year's start.
        start = dt.datetime(year, 1, 1, tzinfo=dt.UTC).replace(tzinfo=None)
        offset = dt.datetime(year, 1, 1, tzinfo=city_zone()).utcoffset() or dt.timedelta(0)
        changes = _transitions(year) or [(start, offset, offset, False)]
        for local, before, after, is_dst in changes:
            kind = "DAYLIGHT" if is_dst else "STANDARD"
            lines.append(f"BEGIN:{kind}")
            lines.append(f"DTSTART:{local:%Y%m%dT%H%M%S}")
            lines.append(f"TZOFFSETFROM:{_offset(before)}")
            lines.append(f"TZOFFSETTO:{_offset(after)}")
            lines.append(f"END:{kind}")
    lines.append("END:VTIMEZONE")
    return lines


def _event(booking: Booking, stamp: dt.datetime) -> list[str]:
    tzid = settings.TIME_ZONE
    location = ", ".join(
        part for part in (booking.facility.name, booking.facility.address_text) if part
    )
    status = (
        "CANCELLED"
        if booking.status in (Booking.Status.CANCELLED, Booking.Status.EXPIRED)
        else "CONFIRMED"
    )
    return [
        "BEGIN:VEVENT",
        f"UID:{booking.public_id}@cityhall",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;TZID={tzid}:{_local(booking.starts_at)}",
        f"DTEND;TZID={tzid}:{_local(booking.ends_at)}",
        f"SUMMARY:{_escape(booking.service.name)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(booking.service.documents)}",
        f"STATUS:{status}",
        "END:VEVENT",
    ]


def booking_calendar(bookings: Iterable[Booking], *, name: str = "") -> str:
    """A VCALENDAR holding `bookings` (already joined to their service and facility)."""
    bookings = list(bookings)
    stamp = timezone.now().astimezone(dt.UTC)
    years = {booking.starts_at.astimezone(city_zone()).year for booking in bookings} or {stamp.year}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    lines.extend(_vtimezone(years))
    for booking in bookings:
        lines.extend(_event(booking, stamp))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
