"""DRF permissions by kind of caller: a person, a staff member, a partner key with a scope.

The API denies by default (`IsAuthenticated` in settings); each endpoint names who may call it.
A person calls with a session (CSRF-checked for unsafe methods) or a personal access token; a
partner organisation calls with an API key.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from cityhall.accounts.authentication import ApiKeyPrincipal
from cityhall.accounts.models import PersonalAccessToken, User
from cityhall.accounts.selectors import partner_organisations_for_user, roles_for_staff
from cityhall.backoffice.access import is_verified_staff_session


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


class IsPerson(BasePermission):
    """A signed-in person (session or personal access token); partner keys are refused."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, User) and request.user.is_active


class IsStaffMember(BasePermission):
    """A person holding a staff role, whose staff identity comes from two-factor sign-in.

    With a session, the session must have passed the back office's two-factor step, as for
    the back-office pages. A personal access token counts only if it was itself made from
    such a session (`is_staff_verified`); a token made from a portal session, by an
    administrator or at the command line acts as an ordinary person.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (isinstance(user, User) and user.is_active and roles_for_staff(user)):
            return False
        if isinstance(request.auth, PersonalAccessToken):
            return request.auth.is_staff_verified
        return request.auth is None and is_verified_staff_session(request._request)


class IsPartnerCaller(BasePermission):
    """A partner API key carrying `required_scope` (set by subclassing), or a person who is a
    member of an active partner organisation (session or personal access token)."""

    required_scope = ""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if isinstance(user, ApiKeyPrincipal):
            return self.required_scope in user.scopes
        return (
            isinstance(user, User)
            and user.is_active
            and partner_organisations_for_user(user).exists()
        )
