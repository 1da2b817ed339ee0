"""Signing in: by email and password, or by a one-time link sent by email.

Failures are counted per email and network address together, per network address and per
email (see accounts.sign_in_limits) and audited; past a limit the answer is the same lock
message whether or not the email has an account.
These services check credentials and record the outcome; the caller starts the session
(django.contrib.auth.login).
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cityhall.accounts import sign_in_limits
from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidLink, SignInFailed, SignInLocked
from cityhall.accounts.models import User
from cityhall.accounts.services.validation import normalise_email
from cityhall.accounts.tasks import send_sign_in_link, send_welcome_email
from cityhall.accounts.tokens import read_sign_in_token, sign_in_state_matches
from cityhall.core.audit import record_audit_event

#: The scope of the failure counters for password sign-in (two-factor codes have their own).
PASSWORD_SCOPE = "password"  # noqa: S105 (a cache key part)
#: At most this many sign-in links per address in one lockout window.
LINKS_PER_WINDOW = 5


def sign_in_with_password(*, email: str, password: str, ip_address: str | None) -> User:
    """Return the account whose email and password match, recording the sign-in.

    Raises SignInLocked (retry_after in seconds) while this email is locked from this network
    address, the network address is locked, or the email is slowed down,
    and SignInFailed for a wrong address or password (one message for both). An account
    whose address is not confirmed has no usable password (see citizens), so it always fails
    here.
    """
    email = normalise_email(email)
    _refuse_if_locked(email=email, ip_address=ip_address)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        # Hash anyway, so that the response time does not tell unknown addresses apart.
        User().set_password(password)
    if user is None or not user.check_password(password) or not user.is_active:
        _record_failure(email=email, user=user, ip_address=ip_address)
        raise SignInFailed
    sign_in_limits.clear_failures(scope=PASSWORD_SCOPE, email=email, ip_address=ip_address)
    record_sign_in(user=user, method="password", ip_address=ip_address)
    return user


def _refuse_if_locked(*, email: str, ip_address: str | None) -> None:
    retry_after = sign_in_limits.claim_attempt(
        scope=PASSWORD_SCOPE, email=email, ip_address=ip_address
    )
    if retry_after:
        raise SignInLocked(retry_after=retry_after)


def _record_failure(*, email: str, user: User | None, ip_address: str | None) -> None:
    """Count and audit one failure; raise SignInLocked when it reached the limit."""
    locked, pause_seconds = sign_in_limits.count_failure(
        scope=PASSWORD_SCOPE, email=email, ip_address=ip_address
    )
    # A separate transaction: the audit lines must survive the error raised to the caller.
    with transaction.atomic():
        record_audit_event(
            actor=None,
            action=AccountsAuditAction.SIGN_IN_FAILED,
            target=user,
            data={"method": "password", "known_account": user is not None},
            ip_address=ip_address,
        )
        if locked:
            record_audit_event(
                actor=None,
                action=AccountsAuditAction.SIGN_IN_LOCKED,
                target=user,
                data={"known_account": user is not None},
                ip_address=ip_address,
            )
    sign_in_limits.pause(pause_seconds)
    if locked:
        raise SignInLocked(
            retry_after=sign_in_limits.seconds_until_unlocked(
                scope=PASSWORD_SCOPE, email=email, ip_address=ip_address
            )
        )


@transaction.atomic
def record_sign_in(*, user: User, method: str, ip_address: str | None) -> None:
    """Record that `user` signed in by `method`; the caller starts the session."""
    # last_login is written here, not only by the login signal: it is part of every
    # sign-in link's state, so this is what makes outstanding links stop working.
    user.last_login = timezone.now()
    user.save(update_fields=["last_login", "updated_at"])
    record_audit_event(
        actor=user,
        action=AccountsAuditAction.SIGNED_IN,
        target=user,
        data={"method": method},
        ip_address=ip_address,
    )


@transaction.atomic
def request_sign_in_link(*, email: str, ip_address: str | None) -> None:
    """Queue a one-time sign-in link to `email` if it belongs to an active account.

    Returns nothing and behaves the same for unknown addresses. Silently sends nothing past
    LINKS_PER_WINDOW requests for one address in a lockout window.
    """
    email = normalise_email(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    if not sign_in_limits.allow_message(
        scope="sign-in-link",
        email=email,
        per_window=LINKS_PER_WINDOW,
        window_seconds=settings.SIGN_IN_LOCKOUT_SECONDS,
    ):
        return
    record_audit_event(
        actor=None,
        action=AccountsAuditAction.SIGN_IN_LINK_REQUESTED,
        target=user,
        ip_address=ip_address,
    )
    transaction.on_commit(partial(send_sign_in_link.enqueue, user.id))


def sign_in_with_link(*, token: str, ip_address: str | None) -> User:
    """Return the account a sign-in link names and use the link up.

    Following the link proves the address, so an unconfirmed one becomes confirmed; its
    password is renewed as unusable, which ends every other session of the account, so that
    nothing set up before the owner proved the address survives. Raises InvalidLink when the
    link is forged, expired, already used (any sign-in since it was sent counts) or the
    account is inactive.
    """
    payload = read_sign_in_token(token)
    if payload is None:
        raise InvalidLink
    public_id, state = payload
    with transaction.atomic():
        user = User.objects.select_for_update().filter(public_id=public_id, is_active=True).first()
        if user is None or not sign_in_state_matches(user, state):
            raise InvalidLink
        if user.email_verified_at is None:
            confirm_address(user, kept_password_hash=None)
        record_sign_in(user=user, method="link", ip_address=ip_address)
    return user


def confirm_address(user: User, *, kept_password_hash: str | None) -> None:
    """Mark `user`'s address confirmed, audited, and queue the welcome email.

    The account keeps `kept_password_hash` (a password chosen for this address in the browser
    that confirms it) or gets no usable password: a password set before confirmation may be a
    stranger's. Changing the hash ends every other session of the account. Call inside the
    caller's transaction, with the row locked.
    """
    if kept_password_hash is None:
        user.set_unusable_password()
    else:
        user.password = kept_password_hash
    user.email_verified_at = timezone.now()
    user.save(update_fields=["password", "email_verified_at", "updated_at"])
    record_audit_event(
        actor=user,
        action=AccountsAuditAction.EMAIL_VERIFIED,
        target=user,
        data={"password_kept": kept_password_hash is not None},
    )
    transaction.on_commit(partial(send_welcome_email.enqueue, user.id))
