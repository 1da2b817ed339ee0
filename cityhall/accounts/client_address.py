"""The network address a request came from, for sign-in limits and the audit log.

The one implementation is `cityhall.core.client_address`, shared with the rate limits of the
APIs; it reads X-Forwarded-For only as far as settings.TRUSTED_PROXY_COUNT allows.
"""

from __future__ import annotations

from cityhall.core.client_address import client_ip_address

__all__ = ["client_ip_address"]
