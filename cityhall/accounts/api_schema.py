"""OpenAPI descriptions of the API's auth schemes (drf-spectacular finds them once imported)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeySchemeExtension(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # the library leaves __init_subclass__ untyped
    """Documents `Authorization: Api-Key <prefix>.<secret>` as an API-key security scheme."""

    target_class = "cityhall.accounts.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <prefix>.<secret>`, as issued to a partner organisation.",
        }


class AccessTokenSchemeExtension(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # the library leaves __init_subclass__ untyped
    """Documents `Authorization: Bearer <prefix>.<secret>` as an HTTP bearer scheme."""

    target_class = "cityhall.accounts.authentication.PersonalAccessTokenAuthentication"
    name = "AccessTokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token; the call acts as the token's owner.",
        }


class SessionSchemeExtension(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # the library leaves __init_subclass__ untyped
    """Documents the signed-in session cookie, replacing the library's description-less one."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": (
                "The session of a person signed in on the site, for the site's own pages. "
                "Unsafe methods also need the `X-CSRFToken` header; staff endpoints need a "
                "session that passed the two-factor sign-in."
            ),
        }
