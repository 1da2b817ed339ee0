"""`manage.py generate_vapid_keys`: a new VAPID key pair for web push, as .env lines."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.notifications.vapid import generate_vapid_keys


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair as VAPID_PRIVATE_KEY= and VAPID_PUBLIC_KEY= lines for .env. "
        "Changing the pair invalidates every browser's subscription."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        keys = generate_vapid_keys()
        self.stdout.write(f"VAPID_PRIVATE_KEY={keys.private_key}")
        self.stdout.write(f"VAPID_PUBLIC_KEY={keys.public_key}")
