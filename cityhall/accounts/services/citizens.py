"""Citizen accounts: sign up → confirm the email address (welcome email) → edit details.

Sign-up answers the same whether or not the address already has an account: the owner of an
existing account gets a note instead of a second account.

Until its address is confirmed an account has no usable password (a database constraint), so
whoever signs up with someone else's address gains nothing when the owner later confirms it.
The password chosen at sign-up travels back to the signing-up browser as a PendingPassword and
becomes the account's password only if the confirmation link is followed in that same session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.hashers import is_password_usable, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from cityhall.accounts import sign_in_limits
from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.models import User
from cityhall.accounts.services.sign_in import confirm_address, record_sign_in
from cityhall.accounts.services.validation import check_new_password, normalise_email
from cityhall.accounts.tasks import (
    send_email_verification,
    send_password_changed_notice,
    send_sign_up_attempt_notice,
)
from cityhall.accounts.tokens import read_email_verification_token
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, PermissionDenied

#: The owner of a known address hears of sign-up attempts at most once in this many seconds.
SIGN_UP_NOTICE_WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class PendingPassword:
    """The hash of a password chosen at sign-up, kept by the signing-up browser's session.

    It becomes the account's password only through verify_email_address, with the
    confirmation link followed in that session; anywhere else it is dropped.
    """

    email: str
    password_hash: str = field(repr=False)


@dataclass(frozen=True)
class EmailConfirmation:
    """The outcome of a confirmation link: the account, and whether this use confirmed it."""

    user: User
    confirmed_now: bool


_WRONG_CURRENT_PASSWORD = _("Your current password is not right.")


@transaction.atomic
def sign_up_citizen(
    *,
    email: str,
    password: str,
    full_name: str = "",
    preferred_language: str = User.Language.ENGLISH,
    ip_address: str | None = None,
) -> PendingPassword:
    """Create an unverified citizen account and queue the email that confirms the address.

    The account gets no usable password yet: the returned PendingPassword is for the caller
    to keep in the signing-up browser's session and hand to verify_email_address. The answer
    is the same for a known address, so that no caller can tell a new address from a known
    one: its owner is sent a note (at most one an hour) and nothing else changes. Raises
    InvalidInput (fields `email`, `full_name` or `password`) when the data is wrong.
    """
    email = normalise_email(email)
    user = User(email=email, full_name=full_name.strip(), preferred_language=preferred_language)
    check_new_password(password=password, user=user)
    # Hashed for new and known addresses alike, so that both answer after the same time.
    pending = PendingPassword(email=email, password_hash=make_password(password))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        record_audit_event(
            actor=None,
            action=AccountsAuditAction.SIGN_UP_WITH_EXISTING_EMAIL,
            target=existing,
            ip_address=ip_address,
        )
        if sign_in_limits.allow_message(
            scope="sign-up-notice",
            email=email,
            per_window=1,
            window_seconds=SIGN_UP_NOTICE_WINDOW_SECONDS,
        ):
            transaction.on_commit(partial(send_sign_up_attempt_notice.enqueue, existing.id))
        return pending
    user.set_unusable_password()
    _full_clean(user)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A simultaneous sign-up with the same address won; answer as for a known address.
        return pending
    record_audit_event(
        actor=user, action=AccountsAuditAction.SIGNED_UP, target=user, ip_address=ip_address
    )
    transaction.on_commit(partial(send_email_verification.enqueue, user.id))
    return pending


def _full_clean(user: User) -> None:
    try:
        user.full_clean(exclude=["password"], validate_unique=False)
    except ValidationError as error:
        raise InvalidInput(fields=error.message_dict) from error


@transaction.atomic
def verify_email_address(
    *,
    token: str,
    pending_password: PendingPassword | None = None,
    ip_address: str | None = None,
) -> EmailConfirmation:
    """Confirm the address in a verification link and sign its owner in; queue the welcome email.

    The first use confirms the address, gives the account `pending_password` when it was
    chosen for this very address (the link was followed in the browser that signed up) and
    no usable password otherwise, and ends every other session of the account (they hang on
    the password's hash). Following the link again later confirms nothing and signs no one in
    (`confirmed_now` is False). Raises InvalidLink when the link is forged, expired, or the
    account or its address changed since it was sent.
    """
    payload = read_email_verification_token(token)
    if payload is None:
        raise InvalidLink
    public_id, email = payload
    user = User.objects.select_for_update().filter(public_id=public_id, is_active=True).first()
    if user is None or user.email != email:
        raise InvalidLink
    if user.email_verified_at is not None:
        return EmailConfirmation(user=user, confirmed_now=False)
    password_kept = (
        pending_password is not None
        and pending_password.email == user.email
        and is_password_usable(pending_password.password_hash)
    )
    confirm_address(
        user,
        kept_password_hash=pending_password.password_hash
        if pending_password is not None and password_kept
        else None,
    )
    record_sign_in(user=user, method="email_verification", ip_address=ip_address)
    return EmailConfirmation(user=user, confirmed_now=True)


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
