"""State changes of the accounts domain, one transaction each (see the modules of this package).

* citizens: sign up → confirm the address → edit details, change the password
* sign_in: by password (counted, locked) or by one-time link
* passwords: reset by email
* two_factor: staff TOTP enrolment and verification
* staff: staff accounts and roles
* partners, api_keys: partner organisations, members and API keys
* access_tokens: personal access tokens for the API
"""

from cityhall.accounts.services.access_tokens import (
    IssuedAccessToken,
    authenticate_personal_access_token,
    create_personal_access_token,
    revoke_personal_access_token,
)
from cityhall.accounts.services.api_keys import (
    IssuedApiKey,
    authenticate_api_key,
    create_api_key,
    revoke_api_key,
)
from cityhall.accounts.services.citizens import (
    EmailConfirmation,
    PendingPassword,
    change_password,
    sign_up_citizen,
    update_account_details,
    verify_email_address,
)
from cityhall.accounts.services.partners import (
    add_partner_member,
    create_partner_organisation,
    remove_partner_member,
)
from cityhall.accounts.services.passwords import request_password_reset, reset_password
from cityhall.accounts.services.residents import create_citizen_accounts as create_citizen_accounts
from cityhall.accounts.services.sign_in import (
    request_sign_in_link,
    sign_in_with_link,
    sign_in_with_password,
)
from cityhall.accounts.services.staff import create_staff_user, grant_staff_role, revoke_staff_role
from cityhall.accounts.services.two_factor import (
    confirm_totp_enrolment,
    reset_totp,
    start_totp_enrolment,
    verify_totp_code,
)

__all__ = [
    "EmailConfirmation",
    "IssuedAccessToken",
    "IssuedApiKey",
    "PendingPassword",
    "add_partner_member",
    "authenticate_api_key",
    "authenticate_personal_access_token",
    "change_password",
    "confirm_totp_enrolment",
    "create_api_key",
    "create_partner_organisation",
    "create_personal_access_token",
    "create_staff_user",
    "grant_staff_role",
    "remove_partner_member",
    "request_password_reset",
    "request_sign_in_link",
    "reset_password",
    "reset_totp",
    "revoke_api_key",
    "revoke_personal_access_token",
    "revoke_staff_role",
    "sign_in_with_link",
    "sign_in_with_password",
    "sign_up_citizen",
    "start_totp_enrolment",
    "update_account_details",
    "verify_email_address",
    "verify_totp_code",
]
