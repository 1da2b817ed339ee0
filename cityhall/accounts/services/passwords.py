"""Forgotten passwords: request a reset link by email → choose a new password.

The request answers the same whether or not the address has an account.
"""

from __future__ import annotations

from functools import partial
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cityhall.accounts import sign_in_limits
from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.models import User
from cityhall.accounts.selectors import get_user_for_password_reset
from cityhall.accounts.services.access_tokens import revoke_tokens_of
from cityhall.accounts.services.sign_in import PASSWORD_SCOPE
from cityhall.accounts.services.validation import check_new_password, normalise_email
from cityhall.accounts.tasks import send_password_changed_notice, send_password_reset
from cityhall.core.audit import record_audit_event

#: At most this many reset emails per address in one lockout window.
RESETS_PER_WINDOW = 5


@transaction.atomic
def request_password_reset(*, email: str, ip_address: str | None) -> None:
    """Queue a password-reset link to `email` if it belongs to an active account.

    Returns nothing and behaves the same for unknown addresses; sends nothing past
    RESETS_PER_WINDOW requests for one address in a lockout window.
    """
    email = normalise_email(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    if not sign_in_limits.allow_message(
        scope="password-reset",
        email=email,
        per_window=RESETS_PER_WINDOW,
        window_seconds=settings.SIGN_IN_LOCKOUT_SECONDS,
    ):
        return
    record_audit_event(
        actor=None,
        action=AccountsAuditAction.PASSWORD_RESET_REQUESTED,
        target=user,
        ip_address=ip_address,
    )
    transaction.on_commit(partial(send_password_reset.enqueue, user.id))


@transaction.atomic
def reset_password(
    *, public_id: UUID, token: str, new_password: str, ip_address: str | None = None
) -> User:
    """Set a new password from a reset link; the link then stops working.

    Following the link proves the address, so it becomes confirmed, and a sign-in lock on it
    is lifted. Raises InvalidLink for a forged, used or expired link and InvalidInput
    (`new_password`) when a password validator refuses the password.
    """
    user = get_user_for_password_reset(public_id=public_id, token=token)
    if user is None:
        raise InvalidLink
    check_new_password(password=new_password, user=user, field="new_password")
    user.set_password(new_password)
    fields = ["password", "updated_at"]
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    user.save(update_fields=fields)
    sign_in_limits.clear_lock(scope=PASSWORD_SCOPE, email=user.email)
    # A reset is how an account is taken back: tokens made by whoever held it stop too.
    revoked = revoke_tokens_of(user)
    record_audit_event(
        actor=user,
        action=AccountsAuditAction.PASSWORD_RESET,
        target=user,
        ip_address=ip_address,
        data={"access_tokens_revoked": revoked},
    )
    transaction.on_commit(partial(send_password_changed_notice.enqueue, user.id))
    return user
