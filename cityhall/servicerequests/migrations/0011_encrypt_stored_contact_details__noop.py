"""Encrypt the contact details and free text already stored, and digest the contact emails.

Rows are read in batches of primary keys, as stored (the columns still hold plaintext), and
each is written back through the encrypted fields. Runs in the migration's one transaction, so
that a failure leaves every row as it was. Reversible: the backwards step decrypts in place
(with the keys in force) and clears the digests.
"""

from typing import Any

from django.db import migrations, models
from django.db.models.functions import Cast

from cityhall.core.encrypted_fields import decrypt_text, normalised_for_digest
from cityhall.core.field_keys import keyed_digest

BATCH = 1000
ENCRYPTED = {
    "ServiceRequest": ("contact_name", "contact_email", "contact_phone", "description"),
    "StatusChange": ("internal_note",),
    "SatisfactionRating": ("comment",),
    "Comment": ("body",),
}


def _stored_rows(model: Any, fields: tuple[str, ...]) -> Any:
    """(pk, stored value of each field) by batches of primary keys, read without decrypting."""
    stored = {f"stored_{name}": Cast(name, models.TextField()) for name in fields}
    last = 0
    while True:
        rows = list(
            model.objects.filter(pk__gt=last)
            .order_by("pk")
            .annotate(**stored)
            .values_list("pk", *stored)[:BATCH]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def encrypt(apps: Any, schema_editor: Any) -> None:
    for model_name, fields in ENCRYPTED.items():
        model = apps.get_model("servicerequests", model_name)
        for pk, *values in _stored_rows(model, fields):
            changes: dict[str, str] = {f: v for f, v in zip(fields, values, strict=True) if v}
            if "contact_email" in changes:
                changes["contact_email_digest"] = keyed_digest(
                    normalised_for_digest(changes["contact_email"])
                )
            if changes:
                model.objects.filter(pk=pk).update(**changes)


def decrypt(apps: Any, schema_editor: Any) -> None:
    for model_name, fields in ENCRYPTED.items():
        model = apps.get_model("servicerequests", model_name)
        table = model._meta.db_table
        for pk, *values in _stored_rows(model, fields):
            plain = {
                name: models.Value(
                    decrypt_text(value, context=f"{table}.{model._meta.get_field(name).column}"),
                    output_field=models.TextField(),
                )
                for name, value in zip(fields, values, strict=True)
                if value
            }
            if model_name == "ServiceRequest":
                plain["contact_email_digest"] = models.Value("")
            if plain:
                model.objects.filter(pk=pk).update(**plain)


class Migration(migrations.Migration):
    dependencies = [
        ("servicerequests", "0010_encrypt_contact_details_and_free_text"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt, elidable=False),
    ]
