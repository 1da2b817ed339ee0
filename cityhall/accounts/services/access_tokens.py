"""Personal access tokens: create (shown once) → authenticate API calls as the person → revoke.

A token reads `<prefix>.<secret>` and is sent as `Authorization: Bearer <token>`; only a
digest of the secret is stored (see credentials). A token acts as its owner, created by the
owner or by a city administrator, and never carries more assurance than the sign-in that
made it: only a token made by a staff member from their own two-factor back-office session
is a staff token (`is_staff_verified`), and a staff token always expires, within
STAFF_ACCESS_TOKEN_MAX_DAYS. Every other token acts as an ordinary person, even for staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidAccessToken
from cityhall.accounts.models import PersonalAccessToken, User
from cityhall.accounts.selectors import is_city_admin, roles_for_staff
from cityhall.accounts.services.credentials import (
    draw_credential,
    secret_matches,
    split_credential,
    touch_last_used,
)
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import InvalidInput, NotFound, PermissionDenied

MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class IssuedAccessToken:
    """A new token: the stored row and the full token, which exists only in this object."""

    access_token: PersonalAccessToken
    token: str


def _check_actor(actor: User | None, owner: User) -> None:
    # NotFound rather than PermissionDenied: someone else's tokens do not exist for the caller.
    if actor is not None and actor.pk != owner.pk and not is_city_admin(actor):
        raise NotFound


@transaction.atomic
def create_personal_access_token(
    *,
    actor: User | None,
    owner: User,
    name: str,
    expires_at: datetime | None = None,
    from_verified_staff_session: bool = False,
) -> IssuedAccessToken:
    """Create a token that acts as `owner` until revoked (or until `expires_at`).

    `actor` is the owner, a city administrator, or None (the operator at the command line);
    anyone else gets NotFound. The token is a staff token only when the caller states that
    `actor` is in a back-office session that passed two-factor sign-in
    (`from_verified_staff_session`, see backoffice.access.is_verified_staff_session); such a
    token must be the actor's own and the actor must hold a staff role (PermissionDenied
    otherwise). A staff token expires within STAFF_ACCESS_TOKEN_MAX_DAYS, by default at that
    limit. Raises InvalidInput (`name`, `expires_at`) for an empty or over-long name or an
    expiry in the past or past that limit, and (`owner`) for an inactive account.
    """
    _check_actor(actor, owner)
    if from_verified_staff_session:
        _check_staff_token_maker(actor, owner)
        expires_at = expires_at or timezone.now() + _staff_token_lifetime()
    name = " ".join(name.split())
    _check_token_fields(
        owner=owner, name=name, expires_at=expires_at, staff=from_verified_staff_session
    )
    credential = draw_credential()
    access_token = PersonalAccessToken.objects.create(
        user=owner,
        name=name,
        prefix=credential.prefix,
        secret_hash=credential.secret_hash,
        expires_at=expires_at,
        is_staff_verified=from_verified_staff_session,
    )
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.ACCESS_TOKEN_CREATED,
        target=access_token,
        data={"owner": str(owner.public_id), "staff": from_verified_staff_session},
    )
    return IssuedAccessToken(access_token=access_token, token=credential.value)


def _staff_token_lifetime() -> timedelta:
    return timedelta(days=settings.STAFF_ACCESS_TOKEN_MAX_DAYS)


def _check_staff_token_maker(actor: User | None, owner: User) -> None:
    # A two-factor session vouches only for the person who passed it, never for another
    # account, and a token made for someone else (or at the command line) stays ordinary.
    if actor is None or actor.pk != owner.pk or not roles_for_staff(owner):
        raise PermissionDenied


def _check_token_fields(
    *, owner: User, name: str, expires_at: datetime | None, staff: bool
) -> None:
    errors: dict[str, list[str]] = {}
    if not name or len(name) > MAX_NAME_LENGTH:
        errors["name"] = [
            _("Give the token a name of at most %(count)d characters.") % {"count": MAX_NAME_LENGTH}
        ]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("Choose an expiry date in the future.")]
    elif expires_at is not None and staff and expires_at > timezone.now() + _staff_token_lifetime():
        errors["expires_at"] = [
            _("A staff token expires within %(days)d days.")
            % {"days": settings.STAFF_ACCESS_TOKEN_MAX_DAYS}
        ]
    if not owner.is_active:
        errors["owner"] = [_("This account is not active.")]
    if errors:
        raise InvalidInput(fields=errors)


@transaction.atomic
def revoke_personal_access_token(
    *, actor: User | None, access_token: PersonalAccessToken
) -> PersonalAccessToken:
    """Stop a token working, at once and for good. Revoking twice changes nothing.

    Raises NotFound unless `actor` owns the token or is a city administrator (or is None).
    """
    _check_actor(actor, access_token.user)
    if access_token.revoked_at is None:
        access_token.revoked_at = timezone.now()
        access_token.save(update_fields=["revoked_at", "updated_at"])
        record_audit_event(
            actor=actor, action=AccountsAuditAction.ACCESS_TOKEN_REVOKED, target=access_token
        )
    return access_token


def revoke_tokens_of(user: User, *, staff_only: bool = False) -> int:
    """Revoke every live token of `user` (only the staff ones with `staff_only`) in one update,
    for callers that already audit why; returns how many were revoked."""
    live = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True)
    if staff_only:
        live = live.filter(is_staff_verified=True)
    now = timezone.now()
    return live.update(revoked_at=now, updated_at=now)


def authenticate_personal_access_token(*, raw_token: str) -> PersonalAccessToken:
    """Return the live token matching `raw_token`, with its owner loaded.

    Raises InvalidAccessToken when the token is malformed, unknown, wrong, revoked, expired or
    belongs to an inactive account (one error for all). Records the time of use at most once
    a minute.
    """
    parts = split_credential(raw_token)
    if parts is None:
        raise InvalidAccessToken
    prefix, secret = parts
    access_token = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
    if not secret_matches(access_token.secret_hash if access_token else None, secret):
        raise InvalidAccessToken
    assert access_token is not None  # secret_matches is False without a stored hash
    expired = access_token.expires_at is not None and access_token.expires_at <= timezone.now()
    if access_token.is_revoked or expired or not access_token.user.is_active:
        raise InvalidAccessToken
    touch_last_used(access_token)
    return access_token
