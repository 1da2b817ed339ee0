"""The audit-log action codes the accounts domain writes (stable: reports filter on them)."""

from __future__ import annotations

from enum import StrEnum


class AccountsAuditAction(StrEnum):
    SIGNED_UP = "accounts.signed_up"
    SIGN_UP_WITH_EXISTING_EMAIL = "accounts.sign_up_with_existing_email"
    EMAIL_VERIFIED = "accounts.email_verified"
    SIGNED_IN = "accounts.signed_in"
    SIGN_IN_FAILED = "accounts.sign_in_failed"
    SIGN_IN_LOCKED = "accounts.sign_in_locked"
    SIGN_IN_LINK_REQUESTED = "accounts.sign_in_link_requested"
    PASSWORD_RESET_REQUESTED = "accounts.password_reset_requested"  # noqa: S105 (an action code)
    PASSWORD_RESET = "accounts.password_reset"  # noqa: S105 (an action code)
    PASSWORD_CHANGED = "accounts.password_changed"  # noqa: S105 (an action code)
    ACCOUNT_DETAILS_UPDATED = "accounts.account_details_updated"
    STAFF_USER_CREATED = "accounts.staff_user_created"
    STAFF_ROLE_GRANTED = "accounts.staff_role_granted"
    STAFF_ROLE_REVOKED = "accounts.staff_role_revoked"
    TOTP_ENROLMENT_STARTED = "accounts.totp_enrolment_started"
    TOTP_CONFIRMED = "accounts.totp_confirmed"
    TOTP_VERIFIED = "accounts.totp_verified"
    TOTP_FAILED = "accounts.totp_failed"
    TOTP_RESET = "accounts.totp_reset"
    PARTNER_ORGANISATION_CREATED = "accounts.partner_organisation_created"
    PARTNER_MEMBER_ADDED = "accounts.partner_member_added"
    PARTNER_MEMBER_REMOVED = "accounts.partner_member_removed"
    API_KEY_CREATED = "accounts.api_key_created"
    API_KEY_REVOKED = "accounts.api_key_revoked"
    ACCESS_TOKEN_CREATED = "accounts.access_token_created"  # noqa: S105 (an action code)
    ACCESS_TOKEN_REVOKED = "accounts.access_token_revoked"  # noqa: S105 (an action code)
