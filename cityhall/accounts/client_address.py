"""The network address a request came from, for sign-in limits and the audit log."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The peer address as the web server saw it.

    Forwarded headers are not read here: a reverse proxy must set REMOTE_ADDR (granian and
    gunicorn do with their forwarded-allow settings), otherwise any client could pick its own
    address and escape the per-address sign-in limit.
    """
    address = request.META.get("REMOTE_ADDR") or None
    return str(address) if address else None
