"""REST endpoints of the accounts domain, mounted under /api/v1/."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts import api_schema  # noqa: F401  (registers the key scheme with OpenAPI)
from cityhall.accounts.api_permissions import IsPerson
from cityhall.accounts.authentication import (
    ApiKeyAuthentication,
    ApiKeyPrincipal,
    PersonalAccessTokenAuthentication,
)
from cityhall.accounts.models import PersonalAccessToken, User
from cityhall.accounts.selectors import (
    access_tokens_for_user,
    get_access_token_for_user,
    partner_organisations_for_user,
    roles_for_staff,
)
from cityhall.accounts.services import (
    create_personal_access_token,
    revoke_personal_access_token,
)
from cityhall.backoffice.access import is_verified_staff_session
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.api_pagination import PAGE_PARAMETERS


class MeApi(APIView):
    """GET /api/v1/me: who is calling, a person (session, token) or a partner (API key)."""

    # The key scheme comes first so that an anonymous call gets 401 with its challenge.
    authentication_classes = [
        ApiKeyAuthentication,
        PersonalAccessTokenAuthentication,
        SessionAuthentication,
    ]
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


class AccessTokenOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    staff = serializers.BooleanField(
        source="is_staff_verified",
        help_text="Whether the token acts as staff: made from a two-factor staff session.",
    )


class IssuedAccessTokenOutput(AccessTokenOutput):
    token = serializers.CharField(help_text="The full token. It is shown only this once.")


class NewAccessTokenInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


def _person(request: Request) -> User:
    assert isinstance(request.user, User)  # IsPerson admitted only people
    return request.user


def _in_verified_staff_session(request: Request) -> bool:
    """Whether the call comes with a session (not a token) that passed two-factor sign-in."""
    return (
        isinstance(request.successful_authenticator, SessionAuthentication)
        and is_verified_staff_session(request._request)
        and bool(roles_for_staff(_person(request)))
    )


class MyAccessTokensApi(GenericAPIView[PersonalAccessToken]):
    """GET: the caller's personal access tokens. POST: create one (the token is shown once).

    A token made from a staff member's two-factor back-office session is a staff token and
    expires within STAFF_ACCESS_TOKEN_MAX_DAYS; any other token, including one made with a
    token, acts as an ordinary person.
    """

    permission_classes = [IsPerson]
    serializer_class = AccessTokenOutput

    @extend_schema(
        responses={200: AccessTokenOutput(many=True)}, operation_id="my_access_tokens_list"
    )
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params, also_known=PAGE_PARAMETERS)
        page = self.paginate_queryset(access_tokens_for_user(user=_person(request)))
        return self.get_paginated_response(AccessTokenOutput(page, many=True).data)

    @extend_schema(
        request=NewAccessTokenInput,
        responses={201: IssuedAccessTokenOutput},
        operation_id="my_access_tokens_create",
    )
    def post(self, request: Request) -> Response:
        data = validated(NewAccessTokenInput, request.data)
        issued = create_personal_access_token(
            actor=_person(request),
            owner=_person(request),
            name=data["name"],
            expires_at=data["expires_at"],
            from_verified_staff_session=_in_verified_staff_session(request),
        )
        body = {**AccessTokenOutput(issued.access_token).data, "token": issued.token}
        return Response(body, status=status.HTTP_201_CREATED)


class MyAccessTokenApi(GenericAPIView[PersonalAccessToken]):
    """DELETE /api/v1/me/tokens/{id}: revoke one of the caller's tokens (idempotent)."""

    permission_classes = [IsPerson]
    serializer_class = AccessTokenOutput

    @extend_schema(operation_id="my_access_tokens_destroy")
    def delete(self, request: Request, public_id: UUID) -> Response:
        access_token = get_access_token_for_user(user=_person(request), public_id=public_id)
        revoke_personal_access_token(actor=_person(request), access_token=access_token)
        return Response(status=status.HTTP_204_NO_CONTENT)
