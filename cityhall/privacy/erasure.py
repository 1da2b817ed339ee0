"""Erasing a person: every declared source's `erase`, in one transaction, and the helpers the
domains' `erase` functions share.

`erase_person` is what a completed account closure runs (privacy.services.closures). Sources
erase in their declared order; the account itself (accounts.profile) comes last and anonymises
the user row in place, so foreign keys and the audit log stay whole (decision 0021). Files are
deleted from the media storage only once the transaction has committed, so that a failed
erasure never leaves rows pointing at missing files.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.storage import default_storage
from django.db import transaction

from cityhall.privacy.registry import Erased, all_sources

if TYPE_CHECKING:
    from cityhall.accounts.models import User

logger = logging.getLogger(__name__)

#: What stands in an erased person's identifier inside text that is kept (a public record).
REMOVED = "[removed]"
#: Identifiers shorter than this are not searched for in text: they would match ordinary words.
MIN_IDENTIFIER_LENGTH = 4


def erase_person(user: User) -> dict[str, Erased]:
    """Erase or anonymise everything every source holds about `user`, in one transaction.

    Returns, per source code, what was deleted and anonymised (counts only, no personal data).
    """
    done: dict[str, Erased] = {}
    with transaction.atomic():
        for source in all_sources():
            done[source.code] = source.erase(user)
    return done


def redact(text: str, identifiers: Iterable[str]) -> str:
    """`text` with every occurrence of each identifier (case-insensitive) replaced by REMOVED.

    For free text kept as a public record (a request's description, a staff note) that may
    quote the person's name, address or phone number. Phone numbers also match when written
    with other spaces, dots, dashes or brackets between their digits.
    """
    for identifier in sorted(set(identifiers), key=len, reverse=True):
        pattern = _pattern(identifier)
        if pattern is not None:
            text = pattern.sub(REMOVED, text)
    return text


def redact_json(value: Any, identifiers: Iterable[str]) -> Any:
    """A JSON value (answers to a form) with `redact` applied to every string in it."""
    names = list(identifiers)
    if isinstance(value, str):
        return redact(value, names)
    if isinstance(value, list):
        return [redact_json(item, names) for item in value]
    if isinstance(value, dict):
        return {key: redact_json(item, names) for key, item in value.items()}
    return value


def _pattern(identifier: str) -> re.Pattern[str] | None:
    identifier = identifier.strip()
    if len(identifier) < MIN_IDENTIFIER_LENGTH:
        return None
    digits = re.sub(r"\D", "", identifier)
    if len(digits) >= 7 and re.fullmatch(r"[\d\s().+-]+", identifier):
        # A phone number: its digits with any punctuation between them; the country code 1
        # (North America) may be left out.
        tail = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
        return re.compile(r"(?:\+?1[\s.()-]*)?" + r"[\s.()-]*".join(tail))
    return re.compile(re.escape(identifier), re.IGNORECASE)


def delete_files_after_commit(names: Iterable[str]) -> None:
    """Delete these media files once the current transaction commits (at once outside one).

    A file already gone is fine; a storage error is logged and left for the retention sweep
    rather than undoing an erasure that has committed.
    """
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: _delete_files(kept))


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete an erased person's file %s", name)
