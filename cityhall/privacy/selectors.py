"""Reads of the privacy domain for the citizen's own pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from cityhall.privacy.models import DataExport
from cityhall.privacy.purposes import Purpose, purpose
from cityhall.privacy.registry import all_sources

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cityhall.accounts.models import User


@dataclass(frozen=True)
class HeldData:
    """One kind of data held about a person, as the "my data" page lists it."""

    code: str
    name: str | Promise
    description: str | Promise
    count: int
    purposes: tuple[Purpose, ...]


def data_held_about(user: User) -> list[HeldData]:
    """Every declared kind of personal data with how many items `user` has, in register order.

    Kinds held only about staff and partners are left out when the person has none.
    """
    held = []
    for source in all_sources():
        count = source.count(user)
        if source.staff_only and not count:
            continue
        purposes = tuple(purpose(code) for code in source.purposes)
        held.append(HeldData(source.code, source.name, source.description, count, purposes))
    return held


def recent_exports_of(user: User) -> QuerySet[DataExport]:
    """The person's last few exports, newest first (the "my data" page shows their state)."""
    return DataExport.objects.filter(user=user).order_by("-created_at", "-id")[:5]
