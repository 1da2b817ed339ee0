"""Time-based one-time passwords (RFC 6238) for staff two-factor sign-in, and their QR code."""

from __future__ import annotations

import datetime
import hmac
import io
import time

import pyotp
import segno
from django.conf import settings

from cityhall.accounts.models import User

#: Codes one step (30 s) either side of now are accepted, for clocks that drift a little.
VALID_WINDOW = 1


def new_totp_secret() -> str:
    """A fresh base32 secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=settings.CITYHALL_CITY_NAME
    )


def qr_code_svg(data: str) -> str:
    """An inline SVG QR code for `data`, drawn locally (no external service sees the secret)."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, nl=False)
    return buffer.getvalue().decode()


def matching_step(
    *, secret: str, code: str, after_step: int | None, now: float | None = None
) -> int | None:
    """The time step whose code equals `code`, within ±VALID_WINDOW and later than `after_step`.

    Returns None when no step matches. Refusing steps at or before `after_step` stops a code
    from being used twice, even within its own 30 seconds.
    """
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(_utc(now))
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _utc(now: float | None) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(time.time() if now is None else now, tz=datetime.UTC)
