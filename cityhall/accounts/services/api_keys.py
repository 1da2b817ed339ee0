"""Partner API keys: create (the key is shown once) → authenticate requests → revoke.

A key reads `<prefix>.<secret>`. The prefix is stored to find the row; only a SHA-256 digest
of the secret is stored (see credentials).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.audit_actions import AccountsAuditAction
from cityhall.accounts.errors import InvalidApiKey
from cityhall.accounts.models import ApiKey, PartnerOrganisation, User
from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.services.credentials import (
    draw_credential,
    secret_matches,
    split_credential,
    touch_last_used,
)
from cityhall.accounts.services.partners import check_partner_admin
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class IssuedApiKey:
    """A new key: the stored row and the full key, which exists only in this object."""

    api_key: ApiKey
    key: str


def _check_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(ApiScope.values))
    if unknown or not scopes:
        message = _("Choose at least one scope from the list.")
        if unknown:
            message = _("Unknown scopes: %(scopes)s.") % {"scopes": ", ".join(unknown)}
        raise InvalidInput(fields={"scopes": [str(message)]})
    return sorted(set(scopes))


@transaction.atomic
def create_api_key(
    *, actor: User | None, organisation: PartnerOrganisation, name: str, scopes: list[str]
) -> IssuedApiKey:
    """Create a key for `organisation` with `scopes` (values of ApiScope).

    The full key is in the result only; it cannot be recovered later. `actor` must be a city
    administrator (None: the operator at the command line). Raises PermissionDenied
    otherwise, InvalidInput for an empty name or unknown scopes, and Conflict for an inactive
    organisation.
    """
    check_partner_admin(actor)
    if not organisation.is_active:
        raise Conflict(_("This organisation is not active."))
    name = name.strip()
    if not name:
        raise InvalidInput(fields={"name": [_("Give the key a name.")]})
    credential = draw_credential()
    api_key = ApiKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=credential.prefix,
        secret_hash=credential.secret_hash,
        scopes=_check_scopes(scopes),
        created_by=actor,
    )
    record_audit_event(
        actor=actor,
        action=AccountsAuditAction.API_KEY_CREATED,
        target=api_key,
        data={"organisation": str(organisation.public_id), "scopes": api_key.scopes},
    )
    return IssuedApiKey(api_key=api_key, key=credential.value)


@transaction.atomic
def revoke_api_key(*, actor: User | None, api_key: ApiKey) -> ApiKey:
    """Stop a key working, at once and for good. Revoking twice changes nothing.

    Raises PermissionDenied unless `actor` is a city administrator (or None).
    """
    check_partner_admin(actor)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
        record_audit_event(actor=actor, action=AccountsAuditAction.API_KEY_REVOKED, target=api_key)
    return api_key


def authenticate_api_key(*, raw_key: str) -> ApiKey:
    """Return the live key matching `raw_key`, with its organisation loaded.

    Raises InvalidApiKey when the key is malformed, unknown, wrong, revoked or belongs to an
    inactive organisation (one error for all, so callers learn nothing about which).
    Records the time of use at most once per LAST_USED_PRECISION.
    """
    parts = split_credential(raw_key)
    if parts is None:
        raise InvalidApiKey
    prefix, secret = parts
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if not secret_matches(api_key.secret_hash if api_key else None, secret):
        raise InvalidApiKey
    assert api_key is not None  # secret_matches is False without a stored hash
    if api_key.is_revoked or not api_key.organisation.is_active:
        raise InvalidApiKey
    touch_last_used(api_key)
    return api_key
