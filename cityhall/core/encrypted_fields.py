"""Model fields that keep personal data encrypted in the database, and keyed digests of it.

`EncryptedTextField` stores `e1:<key id>:<base64(nonce + AES-256-GCM ciphertext + tag)>`:
a random 96-bit nonce per value, the key id so that several keys coexist (see field_keys), and
`<table>.<column>` as associated data, so that a value copied into another column (or
another table) fails to decrypt instead of showing up in the wrong place. "" is stored as "",
so blank stays blank (and `CheckConstraint`s on blankness keep working). Reading a value that
was altered, moved or encrypted under an unknown key raises `FieldDecryptionError`: the
database alone never yields the plaintext, and a damaged row never yields a wrong one.

The column is `text` whatever the plaintext's length (`max_length` only validates forms).
Nothing can be searched in an encrypted column: the field accepts only `isnull` and `= ""`
(anything else raises FieldError rather than silently matching nothing). What must be found
by exact value gets a `KeyedHashField` beside it, e.g. `contact_email_digest =
KeyedHashField(source="contact_email")`, filled on save and queried with `digest_lookup`.
Text search over encrypted columns happens in Python on a set narrowed by other columns.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull, Lookup, Transform

from cityhall.core.field_keys import field_keyring, keyed_digest, keyed_digests

PREFIX = "e1:"
NONCE_BYTES = 12


class FieldDecryptionError(Exception):
    """A stored value cannot be decrypted: altered, moved from elsewhere, or key missing."""


class UnknownFieldKeyError(FieldDecryptionError):
    """The value was encrypted under a key id the settings no longer hold."""


def encrypt_text(plaintext: str, *, context: str) -> str:
    """`plaintext` encrypted under the active key, bound to `context` ("" stays "")."""
    if plaintext == "":
        return ""
    keyring = field_keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = keyring.ciphers[keyring.active_id].encrypt(nonce, plaintext.encode(), context.encode())
    return f"{PREFIX}{keyring.active_id}:{base64.b64encode(nonce + sealed).decode()}"


def stored_key_id(stored: str) -> str | None:
    """The id of the key `stored` was encrypted under; None for "" or a non-encrypted value."""
    if not stored.startswith(PREFIX):
        return None
    key_id, separator, _sealed = stored[len(PREFIX) :].partition(":")
    return key_id if separator else None


def decrypt_text(stored: str, *, context: str) -> str:
    """The plaintext of a value `encrypt_text` produced for the same `context`.

    Raises UnknownFieldKeyError when its key is not in FIELD_ENCRYPTION_KEYS, and
    FieldDecryptionError when it is not an encrypted value or fails authentication.
    """
    if stored == "":
        return ""
    key_id = stored_key_id(stored)
    if key_id is None:
        raise FieldDecryptionError(f"{context} holds a value that is not encrypted.")
    cipher = field_keyring().cipher(key_id)
    if cipher is None:
        raise UnknownFieldKeyError(
            f"{context} holds a value encrypted under key {key_id!r}, which "
            "FIELD_ENCRYPTION_KEYS does not hold: put that key back after the active one, "
            "then run `manage.py rotate_encryption_keys`."
        )
    try:
        sealed = base64.b64decode(stored[len(PREFIX) + len(key_id) + 1 :], validate=True)
        opened = cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise FieldDecryptionError(
            f"{context} holds a value that fails authentication under key {key_id!r}: it was "
            "altered, or copied from another column."
        ) from error
    return opened.decode()


class _BlankOnlyExact(Exact):
    """`= ""` is the one comparison that means the same on ciphertext and on plaintext."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            target = getattr(self.lhs, "target", None)
            name = f"{target.model.__name__}.{target.name}" if target else "This column"
            raise FieldError(
                f"{name} is encrypted: compare it only with '' (find exact values through "
                "its KeyedHashField)."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column whose values are encrypted with AES-256-GCM (see the module docstring)."""

    description = "Text encrypted at rest"

    @property
    def encryption_context(self) -> str:
        """The associated data: `<table>.<column>`, so values cannot move between columns."""
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None:
            return None
        return decrypt_text(value, context=self.encryption_context)

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        prepared = super().get_db_prep_save(value, connection)
        if prepared is None or hasattr(prepared, "as_sql"):
            return prepared
        return encrypt_text(str(prepared), context=self.encryption_context)

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "exact":
            return _BlankOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        return None


def normalised_for_digest(text: str) -> str:
    """Spaces trimmed and collapsed, case folded: `Ana@X.org ` and `ana@x.org` match."""
    return " ".join(text.split()).casefold()


class KeyedHashField(models.CharField):  # type: ignore[type-arg]
    """`<hash key id>:<HMAC-SHA-256>` of another field's normalised value, filled on save.

    Saving with `update_fields` naming the source must name this field too (a model that
    inherits `DigestsSavedWithTheirSource` does so by itself), and `QuerySet.update()` of the
    source must set it (`keyed_digest(normalised_for_digest(v))`): neither goes through
    `pre_save`. Before the first save the digest is still blank, so
    `full_clean()` sees it so; the database checks constraints naming it.
    """

    description = "Keyed hash of another field"

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 90)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = keyed_digest(normalised_for_digest(getattr(model_instance, self.source) or ""))
        setattr(model_instance, self.attname, value)
        return value


class DigestsSavedWithTheirSource(models.Model):
    """A model whose `save(update_fields=[...])` of a source field also saves its digests."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            digests = {
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, KeyedHashField) and field.source in update_fields
            }
            kwargs["update_fields"] = {*update_fields, *digests}
        super().save(*args, **kwargs)


def digest_lookup(field_name: str, text: str) -> Q:
    """A filter matching rows whose `field_name` digest is that of `text`, under any hash key.

    Blank `text` matches nothing (blank values have no digest to find them by).
    """
    normalised = normalised_for_digest(text)
    if not normalised:
        return Q(pk__in=[])
    return Q(**{f"{field_name}__in": keyed_digests(normalised)})


def stored_column(field_name: str) -> Cast:
    """The column as stored (ciphertext), for queries that must see it without decrypting."""
    return Cast(field_name, output_field=models.TextField())
