"""REST endpoints of the accounts domain, mounted under /api/v1/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts import api_schema  # noqa: F401  (registers the key scheme with OpenAPI)
from cityhall.accounts.authentication import ApiKeyAuthentication, ApiKeyPrincipal
from cityhall.accounts.models import User
from cityhall.accounts.selectors import partner_organisations_for_user, roles_for_staff


class MeApi(APIView):
    """GET /api/v1/me: who is calling, a person (session) or a partner organisation (API key)."""

    # The key scheme comes first so that an anonymous call gets 401 with its challenge.
    authentication_classes = [ApiKeyAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    class Organisation(serializers.Serializer[Any]):
        id = serializers.UUIDField(source="public_id")
        name = serializers.CharField()
        kind = serializers.CharField()

    class Output(serializers.Serializer[Any]):
        kind = serializers.ChoiceField(choices=["person", "partner"])
        person = serializers.DictField(required=False)
        organisation = serializers.DictField(required=False)
        scopes = serializers.ListField(child=serializers.CharField(), required=False)

    @extend_schema(responses={200: Output}, operation_id="accounts_me")
    def get(self, request: Request) -> Response:
        caller = request.user
        if isinstance(caller, ApiKeyPrincipal):
            return Response(
                {
                    "kind": "partner",
                    "organisation": self.Organisation(caller.organisation).data,
                    "scopes": sorted(caller.scopes),
                }
            )
        assert isinstance(caller, User)  # IsAuthenticated and the two schemes guarantee it
        return Response({"kind": "person", "person": self._person(caller)})

    def _person(self, user: User) -> dict[str, Any]:
        organisations = partner_organisations_for_user(user)
        return {
            "id": str(user.public_id),
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "staff_roles": sorted(roles_for_staff(user)),
            "partner_organisations": self.Organisation(organisations, many=True).data,
        }
