"""One signed POST to a webhook receiver, and what came of it. Shared by the outbox and the
notifications webhook channel, so both sign and report the same way.

The POST goes through core.outbound, which refuses addresses inside the city's network and never
follows a redirect: a receiver that moved must be updated, and following a redirect would send
signed events wherever a compromised receiver points. Only the status and size of the answer are
kept, never its body, so a receiver's answer cannot be read back through the delivery log.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cityhall.core.outbound import AddressRefused, NoAnswer, OutboundRequest, send_request
from cityhall.integrations.signing import signature_header

TIMEOUT_SECONDS = 10
#: Reading stops here: the answer is only measured, and a bigger one is not worth the wait.
RESPONSE_READ_BYTES = 64 * 1024
USER_AGENT = "CityHall-Webhooks/1"


@dataclass(frozen=True)
class PostOutcome:
    """What one POST got: the status code and size of the answer (None when none came), timing,
    and why it failed. `refused` means the address itself is not allowed: no retry can help."""

    status_code: int | None
    duration_ms: int
    error: str = ""
    response_bytes: int | None = None
    refused: bool = False

    @property
    def is_success(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post_signed(*, url: str, secret: str, event: str, delivery_id: str, body: bytes) -> PostOutcome:
    """POST `body` to `url` with the CityHall headers, signed with `secret`; never raises.

    A refused address, network errors and timeouts come back as an outcome without a status code.
    """
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "CityHall-Event": event,
        "CityHall-Delivery": delivery_id,
        "CityHall-Signature": signature_header(secret=secret, body=body),
    }
    request = OutboundRequest(
        method="POST",
        url=url,
        headers=headers,
        body=body,
        timeout=TIMEOUT_SECONDS,
        max_response_bytes=RESPONSE_READ_BYTES,
    )
    started = time.monotonic()
    try:
        response = send_request(request)
    except AddressRefused as error:
        return _outcome(started, None, error=str(error), refused=True)
    except NoAnswer as error:
        return _outcome(started, None, error=str(error))
    failure = ""
    if 300 <= response.status < 400:
        failure = f"HTTP {response.status}: redirects are not followed"
    elif not response.is_success:
        failure = f"HTTP {response.status}"
    return _outcome(started, response.status, error=failure, response_bytes=len(response.body))


def _outcome(
    started: float,
    status_code: int | None,
    *,
    error: str = "",
    response_bytes: int | None = None,
    refused: bool = False,
) -> PostOutcome:
    return PostOutcome(
        status_code=status_code,
        duration_ms=round((time.monotonic() - started) * 1000),
        error=error[:2000],
        response_bytes=response_bytes,
        refused=refused,
    )
