"""Citizen accounts: sign up → confirm the email address (welcome email) → edit details.

Sign-up answers the same whether or not the address already has an account: the owner of an
existing account gets a note instead of a second account.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.models import User
from cityhall.accounts.services.validation import check_new_password, normalise_email
from cityhall.accounts.tasks import (
    send_email_verification,
    send_password_changed_notice,
    send_sign_up_attempt_notice,
    send_welcome_email,
)
from cityhall.accounts.tokens import read_email_verification_token
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, PermissionDenied

_WRONG_CURRENT_PASSWORD = _("Your current password is not right.")


@transaction.atomic
def sign_up_citizen(
    *,
    email: str,
    password: str,
    full_name: str = "",
    preferred_language: str = User.Language.ENGLISH,
    ip_address: str | None = None,
) -> None:
    """Create an unverified citizen account and queue the email that confirms the address.

    Returns nothing, so that no caller can tell a new address from a known one: for a known
    address the owner is sent a note and nothing else changes. Raises InvalidInput (fields
    `email`, `full_name` or `password`) when the data is wrong.
    """
    email = normalise_email(email)
    user = User(email=email, full_name=full_name.strip(), preferred_language=preferred_language)
    check_new_password(password=password, user=user)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        # Hash anyway: the slow hash would otherwise make new addresses answer measurably later.
        make_password(password)
        record_audit_event(
            actor=None,
            action=AccountsAuditAction.SIGN_UP_WITH_EXISTING_EMAIL,
            target=existing,
            ip_address=ip_address,
        )
        transaction.on_commit(partial(send_sign_up_attempt_notice.enqueue, existing.id))
        return
    user.set_password(password)
    _full_clean(user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A simultaneous sign-up with the same address won; answer as for a known address.
        return
    record_audit_event(
        actor=user, action=AccountsAuditAction.SIGNED_UP, target=user, ip_address=ip_address
    )
    transaction.on_commit(partial(send_email_verification.enqueue, user.id))


def _full_clean(user: User) -> None:
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error


@transaction.atomic
def verify_email_address(*, token: str) -> User:
    """Mark the address in a verification link as confirmed; queue the welcome email once.

    Opening the link again later is harmless. Raises InvalidLink when the link is forged,
    expired, or the account or its address changed since it was sent.
    """
    payload = read_email_verification_token(token)
    if payload is None:
        raise InvalidLink
    public_id, email = payload
    user = User.objects.select_for_update().filter(public_id=public_id, is_active=True).first()
    if user is None or user.email != email:
        raise InvalidLink
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at", "updated_at"])
        record_audit_event(actor=user, action=AccountsAuditAction.EMAIL_VERIFIED, target=user)
        transaction.on_commit(partial(send_welcome_email.enqueue, user.id))
    return user


@transaction.atomic
def update_account_details(
    *, actor: User, user: User, full_name: str, preferred_language: str
) -> User:
    """Change the name and language of `user`'s own account.

    Raises PermissionDenied when `actor` is not `user`, InvalidInput for bad values.
    """
    if actor.pk != user.pk:
        raise PermissionDenied
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    _full_clean(user)
    user.save(update_fields=["full_name", "preferred_language", "updated_at"])
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.ACCOUNT_DETAILS_UPDATED,
        target=user,
        data={"fields": ["full_name", "preferred_language"]},
    )
    return user


@transaction.atomic
def change_password(*, actor: User, current_password: str, new_password: str) -> None:
    """Replace `actor`'s password after checking the current one; the owner is notified.

    Raises InvalidInput on `current_password` when it is wrong, on `new_password` when a
    password validator refuses it. The caller must refresh the session's auth hash
    (django.contrib.auth.update_session_auth_hash) to stay signed in.
    """
    if not actor.check_password(current_password):
        raise InvalidInput(fields={"current_password": [str(_WRONG_CURRENT_PASSWORD)]})
    check_new_password(password=new_password, user=actor, field="new_password")
    actor.set_password(new_password)
    actor.save(update_fields=["password", "updated_at"])
    record_audit_event(actor=actor, action=AccountsAuditAction.PASSWORD_CHANGED, target=actor)
    transaction.on_commit(partial(send_password_changed_notice.enqueue, actor.id))
