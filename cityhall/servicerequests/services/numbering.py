"""Tracking numbers citizens can read over the phone: RAS-26-000123."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from cityhall.servicerequests.models import TrackingNumberCounter


def tracking_prefix() -> str:
    """The initials of the city's name ("Rivière-aux-Saules" → "RAS"), at most five letters."""
    name = unicodedata.normalize("NFKD", str(settings.CITYHALL_CITY_NAME))
    words = re.findall(r"[A-Za-z0-9]+", name.encode("ascii", "ignore").decode("ascii"))
    return "".join(word[0] for word in words)[:5].upper() or "REQ"


def next_tracking_number(submitted_at: datetime) -> str:
    """Hand out the next number of the year of `submitted_at`; call inside a transaction.

    The counter is bumped with an UPDATE before it is read, so the row stays locked (or, on
    SQLite, the database stays write-locked) until the caller's transaction ends: two
    concurrent submissions can never read the same value.
    """
    year = submitted_at.year
    value = _bump(year)
    if value is None:
        try:
            with transaction.atomic():
                TrackingNumberCounter.objects.create(year=year, last_value=1)
            value = 1
        except IntegrityError:
            # Another submission created the year's counter first; bump that one.
            value = _bump(year)
    return f"{tracking_prefix()}-{year % 100:02d}-{value:06d}"


def _bump(year: int) -> int | None:
    updated = TrackingNumberCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    if not updated:
        return None
    return TrackingNumberCounter.objects.values_list("last_value", flat=True).get(year=year)
