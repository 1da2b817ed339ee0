"""Whether a person allows a use of their personal data: the one question every such use asks.

Every use of personal data for a purpose declared in `privacy.purposes` calls `has_consent`
(or `users_with_consent` when it reaches many people at once). A purpose whose legal basis is
not consent (the public task of handling one's own request, a legal obligation) is always
allowed; for a consent purpose the person's latest `ConsentRecord` decides, and without any
record the purpose's `default_given` (withdrawn, unless declared otherwise).

The decisions themselves are written by `privacy.services.consents` (give and withdraw).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Subquery

from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.purposes import Purpose, all_purposes, purpose

if TYPE_CHECKING:
    from cityhall.accounts.models import User

#: Newest decision first; `id` breaks ties between two decisions in the same instant.
LATEST_FIRST = ("-created_at", "-id")
#: How many people one `users_with_consent` query asks about (SQLite binds at most 32,766
#: parameters; a larger fan-out costs one more query per chunk).
USER_IDS_PER_QUERY = 5000


def has_consent(user: User | AnonymousUser | None, purpose_code: str) -> bool:
    """Whether `user`'s personal data may be used for the purpose `purpose_code`.

    Always True for a purpose not based on consent (no query). False for an anonymous visitor
    or None: nobody can consent for them. Otherwise one indexed query (`consent_latest_idx`)
    reads the person's latest decision; without one the purpose's `default_given` holds.
    Raises KeyError for an undeclared purpose (a programming error).
    """
    declared = purpose(purpose_code)
    if not declared.needs_consent:
        return True
    if user is None or isinstance(user, AnonymousUser) or user.pk is None:
        return False
    latest = (
        ConsentRecord.objects.filter(user_id=user.pk, purpose=purpose_code)
        .order_by(*LATEST_FIRST)
        .values_list("is_given", flat=True)
        .first()
    )
    return declared.default_given if latest is None else latest


def users_with_consent(purpose_code: str, user_ids: Iterable[int]) -> set[int]:
    """The ids among `user_ids` whose data may be used for `purpose_code` (for a fan-out).

    Same rule as `has_consent`, answered for many people in one query (per
    USER_IDS_PER_QUERY ids): each person's latest decision is found by a correlated subquery
    on the `consent_latest_idx` index, which SQLite and PostgreSQL both run.
    """
    declared = purpose(purpose_code)
    wanted = set(user_ids)
    if not declared.needs_consent:
        return wanted
    ordered = sorted(wanted)
    decided: dict[int, bool] = {}
    for start in range(0, len(ordered), USER_IDS_PER_QUERY):
        decided.update(_latest_decisions(purpose_code, ordered[start : start + USER_IDS_PER_QUERY]))
    given = {user_id for user_id, is_given in decided.items() if is_given}
    if declared.default_given:
        given |= wanted - decided.keys()
    return given


def _latest_decisions(purpose_code: str, user_ids: list[int]) -> dict[int, bool]:
    latest_id = (
        ConsentRecord.objects.filter(user_id=OuterRef("user_id"), purpose=purpose_code)
        .order_by(*LATEST_FIRST)
        .values("id")[:1]
    )
    rows = ConsentRecord.objects.filter(
        purpose=purpose_code, user_id__in=user_ids, id=Subquery(latest_id)
    ).values_list("user_id", "is_given")
    return dict(rows)


@dataclass(frozen=True)
class ConsentChoice:
    """A person's current choice for one consent purpose, as their privacy page shows it."""

    purpose: Purpose
    is_given: bool
    #: When the person last decided; None while the purpose's default holds.
    decided_at: dt.datetime | None
    #: Where they decided (ConsentRecord.Source), "" while the default holds.
    source: str
    #: The version of the text they decided on, None while the default holds.
    version: int | None

    @property
    def is_outdated(self) -> bool:
        """Given to an older wording than the one shown now (asking again is fair)."""
        return self.is_given and self.version is not None and self.version < self.purpose.version


def consent_choices_for(user: User) -> list[ConsentChoice]:
    """The person's current choice for every consent purpose, in the register's order.

    One query: the person's whole ledger is small (a few decisions per purpose).
    """
    latest: dict[str, ConsentRecord] = {}
    for record in consent_history_for(user):
        latest.setdefault(record.purpose, record)
    choices = []
    for declared in all_purposes():
        if not declared.needs_consent:
            continue
        found = latest.get(declared.code)
        choices.append(
            ConsentChoice(
                purpose=declared,
                is_given=declared.default_given if found is None else found.is_given,
                decided_at=None if found is None else found.created_at,
                source="" if found is None else found.source,
                version=None if found is None else found.purpose_version,
            )
        )
    return choices


def consent_history_for(user: User) -> list[ConsentRecord]:
    """Every decision the person made, newest first, with the text they were shown."""
    return list(ConsentRecord.objects.filter(user_id=user.pk).order_by(*LATEST_FIRST))
