"""DRF permission for API-key scopes."""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from cityhall.accounts.authentication import ApiKeyPrincipal


class HasApiKeyScope(BasePermission):
    """Allow key-authenticated calls whose key carries `required_scope` (set by subclassing).

    Calls authenticated otherwise (a signed-in person) are left to the view's other checks.
    """

    required_scope = ""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not isinstance(user, ApiKeyPrincipal):
            return True
        return self.required_scope in user.scopes
