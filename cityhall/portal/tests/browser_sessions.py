"""Signing a user in for a browser test without going through the sign-in pages."""

from __future__ import annotations

from django.conf import settings
from django.test import Client


def session_cookie_for(user, url: str) -> dict[str, str]:
    """A session cookie for `user`, to hand to Playwright's `context.add_cookies`."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}
