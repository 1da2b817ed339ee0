"""Counting failed sign-ins in the shared counting cache (core.ratelimit.counting_cache).

An email address (whether or not it has an account, so that nothing here reveals one) is
protected without letting a stranger lock its owner out. Three counts, each kept for
SIGN_IN_LOCKOUT_SECONDS from its first failure:

* **email and network address together**: SIGN_IN_MAX_FAILURES attempts without a success lock
  that pair. The guesser is stopped; the owner, signing in from anywhere else, is not. These
  are claimed before the secret is checked (`claim_attempt`), so that guesses sent at once
  cannot pass the limit while the first ones are being checked.
* **network address**, whatever the emails: ADDRESS_FAILURE_FACTOR times as many lock the
  address out of sign-in, since a library or a city office puts many people behind one. An
  address never locks an account.
* **email**, from all addresses together: past ACCOUNT_FAILURE_FACTOR times the limit (a guess
  spread over many addresses), each further failure slows the email's sign-in for
  ACCOUNT_SLOW_SECONDS from addresses where it has not signed in lately. The owner waits a few
  seconds at most, never a lock-out, and not at all from a known address.

Failures past half a limit are also slowed (`pause`), a little more each time and at most
MAX_PAUSE_SECONDS, so that guessing gets slower without tying up a worker for long.
Without a network address (two-factor codes), the pair is the email alone: it locks the account.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings

from cityhall.core.ratelimit import counting_cache, increment

ADDRESS_FAILURE_FACTOR = 4
ACCOUNT_FAILURE_FACTOR = 4
ACCOUNT_SLOW_SECONDS = 5
#: How long a network address where an email signed in stays exempt from its slowing down.
KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600
PAUSE_STEP_SECONDS = 0.25
MAX_PAUSE_SECONDS = 1.0
_PREFIX = "accounts:sign-in"


def _email_key(scope: str, email: str) -> str:
    # Hashed so that cache dumps do not hold the addresses people typed.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"{_PREFIX}:{scope}:email:{digest}"


def _epoch(email_key: str) -> int:
    # A password reset moves the email to a new epoch, which forgets every count and lock of
    # the old one: the addresses that counted cannot be listed, so their keys are left to expire.
    return int(counting_cache().get(f"{email_key}:epoch", 0))


class _Keys:
    def __init__(self, *, scope: str, email: str, ip_address: str | None) -> None:
        email_key = _email_key(scope, email)
        epoch = _epoch(email_key)
        self.pair = f"{email_key}:{epoch}:pair:{ip_address or '-'}"
        self.address = f"{_PREFIX}:{scope}:ip:{ip_address}" if ip_address else None
        self.account = f"{email_key}:{epoch}:all" if ip_address else None
        self.known = f"{email_key}:{epoch}:known:{ip_address}" if ip_address else None


def seconds_until_unlocked(*, scope: str, email: str, ip_address: str | None) -> int:
    """Seconds before this email may try from this address again; 0 if it may now."""
    keys = _Keys(scope=scope, email=email, ip_address=ip_address)
    locks = [f"{keys.pair}:locked"]
    if keys.address and keys.account:
        locks += [f"{keys.address}:locked", f"{keys.account}:slowed"]
    found = counting_cache().get_many(locks + ([keys.known] if keys.known else []))
    if keys.known in found:
        found.pop(f"{keys.account}:slowed", None)
    now = time.time()
    return max([int(found[key] - now) + 1 for key in locks if key in found] or [0])


def claim_attempt(*, scope: str, email: str, ip_address: str | None) -> int:
    """Claim one attempt of this email from this address, before its secret is checked.

    Returns 0 when the attempt may go ahead, else the seconds to wait. Attempts are counted
    here, as they start, rather than as they fail: of six guesses sent at once, the sixth is
    refused unchecked instead of being checked while the first five are still running. A
    success (`clear_failures`) gives the claims back.
    """
    wait = seconds_until_unlocked(scope=scope, email=email, ip_address=ip_address)
    if wait:
        return wait
    pair = _Keys(scope=scope, email=email, ip_address=ip_address).pair
    if increment(pair, timeout=settings.SIGN_IN_LOCKOUT_SECONDS) > settings.SIGN_IN_MAX_FAILURES:
        _lock(pair)
        return settings.SIGN_IN_LOCKOUT_SECONDS
    return 0


def count_failure(*, scope: str, email: str, ip_address: str | None) -> tuple[bool, float]:
    """Count one failure of an attempt claimed with `claim_attempt`. Return whether it locked
    the pair or the network address, and how many seconds to pause before answering (none
    once locked)."""
    limit = settings.SIGN_IN_MAX_FAILURES
    keys = _Keys(scope=scope, email=email, ip_address=ip_address)
    # The claim already counted this attempt against the pair.
    claimed = int(counting_cache().get(keys.pair, 0))
    locked_now = claimed >= limit
    if locked_now:
        _lock(keys.pair)
    pause_seconds = _pause_for(failures=claimed, limit=limit)
    if keys.address and keys.account:
        address_locked, address_pause = _count(keys.address, limit=limit * ADDRESS_FAILURE_FACTOR)
        locked_now = locked_now or address_locked
        pause_seconds = max(pause_seconds, address_pause)
        _slow_a_much_guessed_account(keys.account, limit=limit * ACCOUNT_FAILURE_FACTOR)
    return locked_now, 0.0 if locked_now else pause_seconds


def _count(key: str, *, limit: int) -> tuple[bool, float]:
    failures = increment(key, timeout=settings.SIGN_IN_LOCKOUT_SECONDS)
    if failures < limit:
        return False, _pause_for(failures=failures, limit=limit)
    _lock(key)
    return True, 0.0


def _lock(key: str) -> None:
    # The count is kept: it expires before the lock does (both last the lockout, the count
    # from its first attempt), and deleting it would let a concurrent claim start again at 1.
    lockout = settings.SIGN_IN_LOCKOUT_SECONDS
    counting_cache().set(f"{key}:locked", time.time() + lockout, timeout=lockout)


def _slow_a_much_guessed_account(key: str, *, limit: int) -> None:
    if increment(key, timeout=settings.SIGN_IN_LOCKOUT_SECONDS) >= limit:
        slowed_until = time.time() + ACCOUNT_SLOW_SECONDS
        counting_cache().set(f"{key}:slowed", slowed_until, timeout=ACCOUNT_SLOW_SECONDS)


def _pause_for(*, failures: int, limit: int) -> float:
    beyond_half = failures - limit // 2
    return min(MAX_PAUSE_SECONDS, PAUSE_STEP_SECONDS * beyond_half) if beyond_half > 0 else 0.0


def pause(seconds: float) -> None:
    """Hold the answer to a failed attempt for `seconds` (tests replace this)."""
    if seconds > 0:
        time.sleep(seconds)


def clear_failures(*, scope: str, email: str, ip_address: str | None = None) -> None:
    """Forget the failures of this email from this address, after it signed in there.

    The address becomes known for the email: a guess spread over other addresses does not
    slow the email's sign-in from it. Failures counted from other addresses stay.
    """
    keys = _Keys(scope=scope, email=email, ip_address=ip_address)
    counting_cache().delete(keys.pair)
    if keys.known:
        counting_cache().set(keys.known, 1, timeout=KNOWN_ADDRESS_SECONDS)


def clear_lock(*, scope: str, email: str) -> None:
    """Lift every lock and count on an email address (after its owner reset the password).

    The addresses where it signed in are forgotten too: one of them may have been a thief's.
    """
    increment(f"{_email_key(scope, email)}:epoch", timeout=KNOWN_ADDRESS_SECONDS)


def allow_message(*, scope: str, email: str, per_window: int, window_seconds: int) -> bool:
    """Whether one more email of kind `scope` may go to `email` in this window.

    Caps link and reset emails so that the forms cannot be used to flood someone's inbox.
    """
    return increment(_email_key(scope, email), timeout=window_seconds) <= per_window
