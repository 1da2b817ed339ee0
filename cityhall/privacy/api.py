"""REST endpoints of the privacy domain, mounted under /api/v1/: a person's consents.

GET /api/v1/me/consents lists every purpose that needs the caller's consent, with its words
in the caller's language, their current choice and when they made it. PUT
/api/v1/me/consents/{purpose} gives or withdraws one consent; `language` names the language
the app showed the purpose's `name` and `explanation` in (the caller's own by default), so
that the ledger records the words the person read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts.api_permissions import IsPerson
from cityhall.accounts.models import User
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.errors import NotFound
from cityhall.privacy.consents import ConsentChoice, consent_choices_for
from cityhall.privacy.models import ConsentRecord
from cityhall.privacy.services.consents import give_consent, withdraw_consent


class ConsentOutput(serializers.Serializer[Any]):
    purpose = serializers.CharField(help_text="The purpose's code.")
    name = serializers.CharField()
    explanation = serializers.CharField()
    version = serializers.IntegerField(help_text="The version of the purpose's words.")
    given = serializers.BooleanField(help_text="Whether the person allows this use now.")
    decided_at = serializers.DateTimeField(
        allow_null=True, help_text="When the person last decided; null while the default holds."
    )
    decided_on_version = serializers.IntegerField(
        allow_null=True, help_text="The version of the words the person last decided on."
    )


class ConsentInput(serializers.Serializer[Any]):
    given = serializers.BooleanField()
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The language the app showed the purpose in; the person's own by default.",
    )


def _person(request: Request) -> User:
    assert isinstance(request.user, User)  # IsPerson admitted only people
    return request.user


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _output(choice: ConsentChoice) -> dict[str, Any]:
    declared = choice.purpose
    return {
        "purpose": declared.code,
        "name": str(declared.name),
        "explanation": str(declared.explanation),
        "version": declared.version,
        "given": choice.is_given,
        "decided_at": choice.decided_at,
        "decided_on_version": choice.version,
    }


class MyConsentsApi(APIView):
    """GET /api/v1/me/consents: the caller's choice for every purpose that needs consent."""

    permission_classes = [IsPerson]

    @extend_schema(responses={200: ConsentOutput(many=True)}, operation_id="my_consents_list")
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params)
        user = _person(request)
        with translation.override(_language(user)):
            body = ConsentOutput([_output(c) for c in consent_choices_for(user)], many=True).data
        return Response(body)


class MyConsentApi(APIView):
    """PUT /api/v1/me/consents/{purpose}: give (`given` true) or withdraw one consent.

    Idempotent: deciding what is already decided records nothing. 404 for a purpose that does
    not exist or does not depend on consent.
    """

    permission_classes = [IsPerson]

    @extend_schema(
        request=ConsentInput, responses={200: ConsentOutput}, operation_id="my_consents_update"
    )
    def put(self, request: Request, purpose_code: str) -> Response:
        user = _person(request)
        choices = {choice.purpose.code: choice for choice in consent_choices_for(user)}
        if purpose_code not in choices:
            raise NotFound
        data = validated(ConsentInput, request.data)
        language = data.get("language") or _language(user)
        decide = give_consent if data["given"] else withdraw_consent
        decide(
            actor=user,
            user=user,
            purpose_code=purpose_code,
            language=language,
            source=ConsentRecord.Source.API,
        )
        choice = next(c for c in consent_choices_for(user) if c.purpose.code == purpose_code)
        with translation.override(language):
            return Response(ConsentOutput(_output(choice)).data)
