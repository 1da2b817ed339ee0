"""`manage.py rotate_encryption_keys`: move encrypted values and digests to the active keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.core.encrypted_fields import FieldDecryptionError
from cityhall.core.field_keys import field_keyring, generate_field_key
from cityhall.core.field_rotation import (
    DEFAULT_BATCH_SIZE,
    rotate_encryption_keys,
    values_left_under_old_keys,
)


class Command(BaseCommand):
    help = (
        "Re-encrypt every value not under the first key of FIELD_ENCRYPTION_KEYS, and "
        "re-compute every digest not under the first key of FIELD_HASH_KEYS, in batches. "
        "Safe to interrupt and run again; it reports when the old keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )
        parser.add_argument(
            "--generate-key",
            action="store_true",
            help="Print a new random key (base64, 32 bytes) for id:key in the settings, and stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            self.stdout.write(generate_field_key())
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        keyring = field_keyring()
        self.stdout.write(
            f"Active encryption key: {keyring.active_id}; active hash key: "
            f"{keyring.active_hash_id}."
        )
        try:
            counts = rotate_encryption_keys(
                batch_size=options["batch_size"], dry_run=options["dry_run"]
            )
        except FieldDecryptionError as error:
            raise CommandError(f"{error} Nothing after that row was rotated.") from error
        verb = "would be" if options["dry_run"] else "were"
        for count in counts:
            self.stdout.write(
                f"{count.label}: {count.rows} row(s) looked at, {count.reencrypted} value(s) "
                f"{verb} re-encrypted, {count.rehashed} digest(s) {verb} re-computed"
                + (f", {count.skipped} changed meanwhile" if count.skipped else "")
                + "."
            )
        if options["dry_run"]:
            return
        left = values_left_under_old_keys()
        if left:
            self.stdout.write(f"{left} row(s) still under an old key: run the command again.")
            return
        old = [k for k in keyring.ciphers if k != keyring.active_id]
        old += [k for k in keyring.hash_keys if k != keyring.active_hash_id]
        self.stdout.write(
            "Every value is under the active keys."
            + (f" Old keys no longer needed: {', '.join(old)}." if old else "")
        )
