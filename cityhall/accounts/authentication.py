"""API authentication by partner API key (`Authorization: Api-Key <key>`)."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request


class ApiKeyAuthentication(BaseAuthentication):
    """Placeholder replaced by the accounts work."""

    def authenticate(self, request: Request) -> None:
        return None
