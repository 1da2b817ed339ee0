"""The network address a request came from: the one answer used by rate limits, sign-in limits
and the audit log.

Behind reverse proxies the peer (REMOTE_ADDR) is the nearest proxy, so every client would share
its address. Each proxy appends the address it received the request from to X-Forwarded-For;
with `settings.TRUSTED_PROXY_COUNT` = N proxies of the city's own in front of the web server,
the client is the entry N places from the right. Entries further left were written by the
client itself and are never believed.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import cache

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the server names none that is valid.

    With TRUSTED_PROXY_COUNT = 0 (no proxy), the peer address. With N > 0, the address the
    outermost trusted proxy saw, read N entries from the right of X-Forwarded-For; when the
    header is missing, too short or that entry is not an IP address, the peer address, so
    that a request reaching the server without its proxies is still counted by its sender.
    """
    peer = _valid_address(request.META.get("REMOTE_ADDR"))
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted < 1:
        if "HTTP_X_FORWARDED_FOR" in request.META:
            _warn_of_an_unexpected_proxy()
        return peer
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    hops = [hop.strip() for hop in forwarded.split(",")] if forwarded.strip() else []
    if len(hops) < trusted:
        return peer
    return _valid_address(hops[-trusted]) or peer


@cache
def _warn_of_an_unexpected_proxy() -> None:
    # Once per process: with a proxy in front and TRUSTED_PROXY_COUNT=0, every client shares
    # the proxy's address, so one client's failures slow everyone's sign-in.
    logger.warning(
        "A request came with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: every client is"
        " counted as the proxy. Set TRUSTED_PROXY_COUNT to the number of proxies (docs/deploy.md)."
    )


def _valid_address(text: object) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        # Normalised, so that one IPv6 address spelt two ways counts as one client.
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
