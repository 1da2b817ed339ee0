"""API authentication by partner API key or by personal access token.

* `Authorization: Api-Key <key>`: the request is authenticated as an `ApiKeyPrincipal`
  (request.user), with the ApiKey row as request.auth. Endpoints check scopes with
  `cityhall.accounts.api_permissions.HasApiKeyScope`.
* `Authorization: Bearer <token>`: the request acts as the token's owner (request.user, a
  User), with the PersonalAccessToken row as request.auth.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from cityhall.accounts.errors import InvalidAccessToken, InvalidApiKey
from cityhall.accounts.models import ApiKey, PartnerOrganisation, PersonalAccessToken, User
from cityhall.accounts.services import authenticate_api_key, authenticate_personal_access_token

KEYWORD = "Api-Key"
TOKEN_KEYWORD = "Bearer"  # noqa: S105 (the scheme name, not a secret)


@dataclass(frozen=True)
class ApiKeyPrincipal:
    """Who calls with an API key: a partner organisation, limited to the key's scopes."""

    organisation: PartnerOrganisation
    api_key: ApiKey
    scopes: frozenset[str] = field(default_factory=frozenset)

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __str__(self) -> str:
        return f"{self.organisation.name} (key {self.api_key.prefix})"


class ApiKeyAuthentication(BaseAuthentication):
    """Accept `Authorization: Api-Key <prefix>.<secret>`; refuse a wrong key with 401."""

    def authenticate(self, request: Request) -> tuple[ApiKeyPrincipal, ApiKey] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(str(InvalidApiKey.default_message))
        try:
            api_key = authenticate_api_key(raw_key=header[1].decode("ascii", errors="replace"))
        except InvalidApiKey as error:
            raise exceptions.AuthenticationFailed(error.message) from error
        principal = ApiKeyPrincipal(
            organisation=api_key.organisation, api_key=api_key, scopes=frozenset(api_key.scopes)
        )
        return principal, api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class PersonalAccessTokenAuthentication(BaseAuthentication):
    """Accept `Authorization: Bearer <prefix>.<secret>`; refuse a wrong token with 401."""

    def authenticate(self, request: Request) -> tuple[User, PersonalAccessToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != TOKEN_KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(str(InvalidAccessToken.default_message))
        try:
            access_token = authenticate_personal_access_token(
                raw_token=header[1].decode("ascii", errors="replace")
            )
        except InvalidAccessToken as error:
            raise exceptions.AuthenticationFailed(error.message) from error
        return access_token.user, access_token

    def authenticate_header(self, request: Request) -> str:
        return TOKEN_KEYWORD
