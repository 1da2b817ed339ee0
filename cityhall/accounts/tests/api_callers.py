"""Test helpers: API clients for each kind of caller (session, token, partner key).

Used by the permission table and the schemathesis run, which walk every route as each.
"""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from cityhall.accounts.models import PartnerOrganisation, User
from cityhall.accounts.selectors import roles_for_staff
from cityhall.accounts.services import create_api_key, create_personal_access_token
from cityhall.accounts.tests.factories import PartnerMembershipFactory
from cityhall.backoffice.access import VERIFIED_SESSION_KEY

#: Every kind of caller the permission table checks.
CALLERS = (
    "anonymous",
    "citizen_session",
    "citizen_token",
    "agent_session_without_2fa",
    "agent_session",
    "agent_token",
    "agent_token_without_2fa",
    "partner_key",
    "partner_key_without_read_scope",
    "partner_key_with_write_scope",
    "partner_member_token",
)


def session_client(user: User, *, two_factor_passed: bool = False) -> APIClient:
    """A client signed in as `user`, as if through the site (CSRF not enforced)."""
    client = APIClient()
    client.force_login(user)
    if two_factor_passed:
        session = client.session
        session[VERIFIED_SESSION_KEY] = str(user.public_id)
        session.save()
    return client


def token_headers(user: User, *, two_factor_passed: bool | None = None) -> dict[str, str]:
    """Authorization headers with a fresh personal access token of `user`.

    By default a staff member's token is made as from their two-factor back-office session
    (a staff token) and anyone else's is ordinary; `two_factor_passed=False` makes an
    ordinary token whoever the user is.
    """
    if two_factor_passed is None:
        two_factor_passed = bool(roles_for_staff(user))
    issued = create_personal_access_token(
        actor=user, owner=user, name="Tests", from_verified_staff_session=two_factor_passed
    )
    return {"Authorization": f"Bearer {issued.token}"}


def key_headers(organisation: PartnerOrganisation, scopes: list[str]) -> dict[str, str]:
    """Authorization headers with a fresh API key of `organisation` carrying `scopes`."""
    issued = create_api_key(actor=None, organisation=organisation, name="Tests", scopes=scopes)
    return {"Authorization": f"Api-Key {issued.key}"}


def client_for(caller: str, *, citizen: User, agent: User, organisation: Any) -> APIClient:
    """An API client acting as `caller` (one of CALLERS).

    The partner member is a new member of `organisation`.
    """
    if caller == "anonymous":
        return APIClient()
    if caller.startswith("citizen_session"):
        return session_client(citizen)
    if caller == "agent_session_without_2fa":
        return session_client(agent)
    if caller == "agent_session":
        return session_client(agent, two_factor_passed=True)
    client = APIClient()
    headers = {
        "citizen_token": lambda: token_headers(citizen),
        "agent_token": lambda: token_headers(agent),
        "agent_token_without_2fa": lambda: token_headers(agent, two_factor_passed=False),
        "partner_key": lambda: key_headers(organisation, ["requests:read"]),
        "partner_key_without_read_scope": lambda: key_headers(organisation, ["open311:write"]),
        "partner_key_with_write_scope": lambda: key_headers(
            organisation, ["requests:read", "requests:write"]
        ),
        "partner_member_token": lambda: token_headers(
            PartnerMembershipFactory(organisation=organisation).user
        ),
    }[caller]()
    client.credentials(HTTP_AUTHORIZATION=headers["Authorization"])
    return client
