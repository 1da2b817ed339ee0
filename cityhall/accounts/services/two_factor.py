"""Two-factor sign-in for staff: start enrolment → confirm with a first code → verify codes
(→ reset by a city administrator when the phone is lost).

A code is accepted one 30-second step either side of now, and each step only once
(User.totp_last_step). Wrong codes count towards a lock like wrong passwords do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cityhall.accounts import sign_in_limits
from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidTotpCode, SignInLocked
from cityhall.accounts.models import User
from cityhall.accounts.selectors import is_city_admin
from cityhall.accounts.services.access_tokens import revoke_tokens_of
from cityhall.accounts.totp import matching_step, new_totp_secret
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, PermissionDenied

#: The scope of the failure counters for two-factor codes.
TOTP_SCOPE = "totp"


@transaction.atomic
def start_totp_enrolment(*, user: User) -> str:
    """Give `user` an unconfirmed TOTP secret (kept across calls until confirmed); return it.

    Raises Conflict when the user already confirmed one: replacing a confirmed secret must
    go through an administrator.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.totp_confirmed_at is not None:
        raise Conflict
    if not user.totp_secret:
        user.totp_secret = new_totp_secret()
        user.totp_last_step = None
        user.save(update_fields=["totp_secret", "totp_last_step", "updated_at"])
        record_audit_event(
            actor=user, action=AccountsAuditAction.TOTP_ENROLMENT_STARTED, target=user
        )
    return user.totp_secret


def confirm_totp_enrolment(*, user: User, code: str, ip_address: str | None = None) -> None:
    """Confirm the unconfirmed secret with a first code from the authenticator app.

    Raises Conflict without an unconfirmed secret, InvalidTotpCode for a wrong code and
    SignInLocked after too many wrong codes.
    """
    if not user.totp_secret or user.totp_confirmed_at is not None:
        raise Conflict
    _accept_code(user=user, code=code, ip_address=ip_address, confirming=True)


def verify_totp_code(*, user: User, code: str, ip_address: str | None = None) -> None:
    """Check a sign-in code against `user`'s confirmed secret; each code works once.

    Raises Conflict when the user has no confirmed secret, InvalidTotpCode for a wrong, stale
    or reused code and SignInLocked after too many wrong codes.
    """
    if user.totp_confirmed_at is None:
        raise Conflict
    _accept_code(user=user, code=code, ip_address=ip_address, confirming=False)


def _accept_code(*, user: User, code: str, ip_address: str | None, confirming: bool) -> None:
    retry_after = sign_in_limits.claim_attempt(scope=TOTP_SCOPE, email=user.email, ip_address=None)
    if retry_after:
        raise SignInLocked(retry_after=retry_after)
    with transaction.atomic():
        # Locked, so that two requests racing with one code cannot both pass.
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        step = matching_step(
            secret=locked_user.totp_secret, code=code, after_step=locked_user.totp_last_step
        )
        if step is not None:
            _record_step(user=locked_user, step=step, ip_address=ip_address, confirming=confirming)
    if step is not None:
        user.refresh_from_db()
        sign_in_limits.clear_failures(scope=TOTP_SCOPE, email=user.email)
        return
    _record_failure(user=user, ip_address=ip_address)


def _record_failure(*, user: User, ip_address: str | None) -> None:
    locked, pause_seconds = sign_in_limits.count_failure(
        scope=TOTP_SCOPE, email=user.email, ip_address=None
    )
    with transaction.atomic():
        record_audit_event(
            actor=None, action=AccountsAuditAction.TOTP_FAILED, target=user, ip_address=ip_address
        )
        if locked:
            record_audit_event(
                actor=None,
                action=AccountsAuditAction.SIGN_IN_LOCKED,
                target=user,
                data={"method": "totp"},
                ip_address=ip_address,
            )
    sign_in_limits.pause(pause_seconds)
    if locked:
        raise SignInLocked(retry_after=settings.SIGN_IN_LOCKOUT_SECONDS)
    raise InvalidTotpCode


def _record_step(*, user: User, step: int, ip_address: str | None, confirming: bool) -> None:
    user.totp_last_step = step
    fields = ["totp_last_step", "updated_at"]
    if confirming:
        user.totp_confirmed_at = timezone.now()
        fields.append("totp_confirmed_at")
    user.save(update_fields=fields)
    action = AccountsAuditAction.TOTP_CONFIRMED if confirming else AccountsAuditAction.TOTP_VERIFIED
    record_audit_event(actor=user, action=action, target=user, ip_address=ip_address)


@transaction.atomic
def reset_totp(*, actor: User, user: User) -> None:
    """Remove `user`'s TOTP secret (a lost phone), so that their next sign-in enrols again;
    their staff tokens, made from sessions that passed the old second factor, are revoked.

    Only a city administrator may do this, and not for their own account (another
    administrator must). Raises PermissionDenied otherwise.
    """
    if actor.pk == user.pk or not is_city_admin(actor):
        raise PermissionDenied
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step", "updated_at"])
    # Staff tokens stand on the second factor being reset, which may be in someone else's hands.
    revoked = revoke_tokens_of(user, staff_only=True)
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.TOTP_RESET,
        target=user,
        data={"staff_tokens_revoked": revoked},
    )
