"""Counting failed sign-ins in the cache (local memory by default, Redis in production).

Failures are counted per email address (whether or not it has an account, so that a lock
reveals nothing) and per network address. An address is locked for SIGN_IN_LOCKOUT_SECONDS
after SIGN_IN_MAX_FAILURES failures; a network address only after IP_FAILURE_FACTOR times as
many, because a library, a school or a city office puts many people behind one address.

Before the lock, failures past half the limit are slowed down (`pause`), a little more each
time and at most MAX_PAUSE_SECONDS, so that guessing gets slower without tying up a worker
for long: once locked, attempts are refused at once.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

IP_FAILURE_FACTOR = 4
PAUSE_STEP_SECONDS = 0.25
MAX_PAUSE_SECONDS = 1.0
_PREFIX = "accounts:sign-in"


def _email_key(scope: str, email: str) -> str:
    # Hashed so that cache dumps do not hold the addresses people typed.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"{_PREFIX}:{scope}:email:{digest}"


def _ip_key(scope: str, ip_address: str) -> str:
    return f"{_PREFIX}:{scope}:ip:{ip_address}"


def _keys(scope: str, email: str, ip_address: str | None) -> list[tuple[str, int]]:
    limit = settings.SIGN_IN_MAX_FAILURES
    keys = [(_email_key(scope, email), limit)]
    if ip_address:
        keys.append((_ip_key(scope, ip_address), limit * IP_FAILURE_FACTOR))
    return keys


def seconds_until_unlocked(*, scope: str, email: str, ip_address: str | None) -> int:
    """Seconds left on the longest lock covering this email or network address; 0 if none."""
    now = time.time()
    remaining = 0
    for key, _limit in _keys(scope, email, ip_address):
        locked_until = cache.get(f"{key}:locked")
        if locked_until is not None:
            remaining = max(remaining, int(locked_until - now) + 1)
    return remaining


def count_failure(*, scope: str, email: str, ip_address: str | None) -> tuple[bool, float]:
    """Count one failure. Return whether it locked the email or network address, and how many
    seconds to pause before answering (none once locked)."""
    lockout = settings.SIGN_IN_LOCKOUT_SECONDS
    locked_now = False
    pause_seconds = 0.0
    for key, limit in _keys(scope, email, ip_address):
        cache.add(key, 0, timeout=lockout)
        try:
            failures = cache.incr(key)
        except ValueError:  # the counter expired between add() and incr()
            cache.set(key, 1, timeout=lockout)
            failures = 1
        if failures >= limit:
            cache.set(f"{key}:locked", time.time() + lockout, timeout=lockout)
            cache.delete(key)
            locked_now = True
        pause_seconds = max(pause_seconds, _pause_for(failures=failures, limit=limit))
    return locked_now, 0.0 if locked_now else pause_seconds


def _pause_for(*, failures: int, limit: int) -> float:
    beyond_half = failures - limit // 2
    return min(MAX_PAUSE_SECONDS, PAUSE_STEP_SECONDS * beyond_half) if beyond_half > 0 else 0.0


def pause(seconds: float) -> None:
    """Hold the answer to a failed attempt for `seconds` (tests replace this)."""
    if seconds > 0:
        time.sleep(seconds)


def clear_failures(*, scope: str, email: str) -> None:
    """Forget the failures counted for an email address (after a successful sign-in)."""
    cache.delete(_email_key(scope, email))


def clear_lock(*, scope: str, email: str) -> None:
    """Lift the lock on an email address (after its owner reset the password)."""
    key = _email_key(scope, email)
    cache.delete_many([key, f"{key}:locked"])


def allow_message(*, scope: str, email: str, per_window: int, window_seconds: int) -> bool:
    """Whether one more email of kind `scope` may go to `email` in this window.

    Caps link and reset emails so that the forms cannot be used to flood someone's inbox.
    """
    key = _email_key(scope, email)
    cache.add(key, 0, timeout=window_seconds)
    try:
        sent = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds)
        sent = 1
    return sent <= per_window
