"""Moving encrypted values and keyed digests to the active keys (`rotate_encryption_keys`).

Every model with an `EncryptedTextField` or a `KeyedHashField` is walked by primary key, in
batches, looking only at rows where some value is not under the first key of
FIELD_ENCRYPTION_KEYS, or some digest not under the first key of FIELD_HASH_KEYS. Each batch is
one transaction; each row is rewritten only if its stored values are still those read (a row
changed meanwhile was written under the active keys anyway). An interrupted run is resumed by
running again: what is done is no longer selected.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Left

from cityhall.core.encrypted_fields import (
    PREFIX,
    EncryptedTextField,
    KeyedHashField,
    decrypt_text,
    normalised_for_digest,
    stored_column,
    stored_key_id,
)
from cityhall.core.field_keys import field_keyring, keyed_digest

DEFAULT_BATCH_SIZE = 500


@dataclass
class RotationCount:
    """What one model's rotation did (or, on a dry run, would do)."""

    label: str
    rows: int = 0
    reencrypted: int = 0
    rehashed: int = 0
    #: Rows changed by someone else between the read and the write; already current.
    skipped: int = 0
    keys_seen: set[str] = field(default_factory=set)


def _encrypted_models() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    for model in apps.get_models():
        encrypted = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if encrypted:
            yield model, encrypted


def _digests(model: type[models.Model]) -> list[KeyedHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]


def _stale(
    encrypted: list[EncryptedTextField], digests: list[KeyedHashField]
) -> tuple[dict[str, Any], Q]:
    """Annotations and the condition selecting rows with a value or digest not yet current."""
    keyring = field_keyring()
    active = f"{PREFIX}{keyring.active_id}:"
    heads = {
        f"_head_{f.attname}": Left(
            stored_column(f.attname), len(active), output_field=models.TextField()
        )
        for f in encrypted
    }
    condition = Q()
    for name in heads:
        condition |= Q(**{f"{name}__gt": ""}) & ~Q(**{name: active})
    for digest in digests:
        condition |= Q(**{f"{digest.attname}__gt": ""}) & ~Q(
            **{f"{digest.attname}__startswith": f"{keyring.active_hash_id}:"}
        )
    return heads, condition


def rotate_model(
    model: type[models.Model],
    encrypted: list[EncryptedTextField],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
) -> RotationCount:
    """Re-encrypt and re-digest `model`'s rows not under the active keys; see the module doc."""
    count = RotationCount(label=model._meta.label)
    digests = _digests(model)
    heads, condition = _stale(encrypted, digests)
    stored = {f"_stored_{f.attname}": stored_column(f.attname) for f in encrypted}
    names = [f.attname for f in encrypted]
    # Digests of columns stored in clear need their source read as well.
    sources = [d.source for d in digests if d.source not in names]
    last_pk: Any = None
    while True:
        candidates = model._default_manager.alias(**heads).filter(condition)
        if last_pk is not None:
            candidates = candidates.filter(pk__gt=last_pk)
        rows = list(
            candidates.annotate(**stored)
            .order_by("pk")
            .values_list("pk", *stored, *(d.attname for d in digests), *sources)[:batch_size]
        )
        if not rows:
            return count
        with transaction.atomic(using=model._default_manager.db):
            for row in rows:
                _rotate_row(model, encrypted, digests, row, names, count, dry_run=dry_run)
        last_pk = rows[-1][0]


def _rotate_row(  # noqa: PLR0913 (one row of the batch and where its counts go)
    model: type[models.Model],
    encrypted: list[EncryptedTextField],
    digests: list[KeyedHashField],
    row: tuple[Any, ...],
    names: list[str],
    count: RotationCount,
    *,
    dry_run: bool,
) -> None:
    keyring = field_keyring()
    pk, values = row[0], dict(zip(names, row[1 : 1 + len(names)], strict=True))
    rest = row[1 + len(names) :]
    old_digests = dict(zip((d.attname for d in digests), rest[: len(digests)], strict=True))
    clear_sources = [d.source for d in digests if d.source not in names]
    plain = dict(zip(clear_sources, rest[len(digests) :], strict=True))
    plain |= {
        f.attname: decrypt_text(values[f.attname], context=f.encryption_context) for f in encrypted
    }
    changes: dict[str, Any] = {}
    for name, value in values.items():
        key_id = stored_key_id(value)
        if key_id is not None:
            count.keys_seen.add(key_id)
        if key_id is not None and key_id != keyring.active_id:
            changes[name] = plain[name]
            count.reencrypted += 1
    for digest in digests:
        old = old_digests[digest.attname]
        if old and not old.startswith(f"{keyring.active_hash_id}:"):
            changes[digest.attname] = keyed_digest(
                normalised_for_digest(plain[digest.source] or "")
            )
            count.rehashed += 1
    count.rows += 1
    if dry_run or not changes:
        return
    unchanged = Q(**{f"_stored_{name}": value for name, value in values.items()})
    unchanged &= Q(**old_digests)
    written = (
        model._default_manager.filter(pk=pk)
        .alias(**{f"_stored_{f.attname}": stored_column(f.attname) for f in encrypted})
        .filter(unchanged)
        .update(**changes)
    )
    if not written:
        count.skipped += 1


def rotate_encryption_keys(
    *, batch_size: int = DEFAULT_BATCH_SIZE, dry_run: bool = False
) -> list[RotationCount]:
    """Rotate every model holding encrypted values; one count per model."""
    return [
        rotate_model(model, encrypted, batch_size=batch_size, dry_run=dry_run)
        for model, encrypted in _encrypted_models()
    ]


def values_left_under_old_keys() -> int:
    """Rows still holding a value or digest under a key other than the active ones."""
    total = 0
    for model, encrypted in _encrypted_models():
        heads, condition = _stale(encrypted, _digests(model))
        total += model._default_manager.alias(**heads).filter(condition).count()
    return total
