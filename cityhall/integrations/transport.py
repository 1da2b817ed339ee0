"""One signed POST to a webhook receiver, and what came of it. Shared by the outbox and the
notifications webhook channel, so both sign and report the same way.

Redirects are not followed: a receiver that moved must be updated by staff, and following a
redirect would send signed events wherever a compromised receiver points.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

from cityhall.integrations.signing import signature_header

TIMEOUT_SECONDS = 10
RESPONSE_EXCERPT_BYTES = 1000
USER_AGENT = "CityHall-Webhooks/1"


@dataclass(frozen=True)
class PostOutcome:
    """What one POST got: the status code (None when no answer came), timing, and details."""

    status_code: int | None
    duration_ms: int
    error: str = ""
    response_excerpt: str = ""

    @property
    def is_success(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # urllib then raises HTTPError with the 3xx code, recorded as a failure


_OPENER = urllib.request.build_opener(_RefuseRedirects())


def post_signed(*, url: str, secret: str, event: str, delivery_id: str, body: bytes) -> PostOutcome:
    """POST `body` to `url` with the CityHall headers, signed with `secret`; never raises.

    Network errors and timeouts come back as an outcome without a status code.
    """
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "CityHall-Event": event,
        "CityHall-Delivery": delivery_id,
        "CityHall-Signature": signature_header(secret=secret, body=body),
    }
    http_request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310  # the URL's scheme was checked when the subscription was made
    started = time.monotonic()
    try:
        with _OPENER.open(http_request, timeout=TIMEOUT_SECONDS) as response:
            excerpt = response.read(RESPONSE_EXCERPT_BYTES)
            return _outcome(started, response.status, excerpt=excerpt)
    except urllib.error.HTTPError as error:
        excerpt = error.read(RESPONSE_EXCERPT_BYTES) if error.fp is not None else b""
        return _outcome(started, error.code, excerpt=excerpt, error=f"HTTP {error.code}")
    except (OSError, HTTPException) as error:  # refused, reset, timed out, bad TLS, bad reply
        reason = getattr(error, "reason", None) or error
        return _outcome(started, None, error=f"{type(error).__name__}: {reason}")


def _outcome(
    started: float, status_code: int | None, *, excerpt: bytes = b"", error: str = ""
) -> PostOutcome:
    return PostOutcome(
        status_code=status_code,
        duration_ms=round((time.monotonic() - started) * 1000),
        error=error[:2000],
        response_excerpt=excerpt.decode("utf-8", errors="replace"),
    )
