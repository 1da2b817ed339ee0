"""`manage.py rotate_webhook_secrets`: re-encrypt signing secrets under the current SECRET_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.integrations.services import rotate_webhook_secrets


class Command(BaseCommand):
    help = (
        "Encrypt every webhook signing secret again under SECRET_KEY. Run it after moving the "
        "old key to SECRET_KEY_FALLBACKS, before removing it there."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = rotate_webhook_secrets()
        self.stdout.write(f"Re-encrypted {count} webhook signing secret(s).")
