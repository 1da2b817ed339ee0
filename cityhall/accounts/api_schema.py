"""OpenAPI description of the API-key scheme (drf-spectacular finds it once imported)."""

from __future__ import annotations

from typing import Any

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
