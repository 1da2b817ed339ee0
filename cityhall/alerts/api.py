"""The alerts' API, under /api/v1/alerts/.

* `GET /api/v1/alerts/`: the current published alerts, as the public JSON feed gives them
  (open to anyone: they are public), for partners' systems and apps.
* `POST /api/v1/alerts/cap`: an upstream authority sends a CAP 1.2 document (the request's
  raw body, any XML content type), with a partner API key carrying `alerts:write`. The
  document is checked against the OASIS schema with a hardened parser and stored as an
  incoming alert for the communications officers: 201 when new, 200 when the same sender
  and identifier were already received, 400 `invalid_cap` with the reasons otherwise.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts.authentication import ApiKeyPrincipal
from cityhall.accounts.scopes import ApiScope
from cityhall.alerts.cap_input import MAX_DOCUMENT_BYTES, InvalidCap, read_cap
from cityhall.alerts.feeds import current_json
from cityhall.alerts.incoming import receive_cap
from cityhall.alerts.models import IncomingAlert
from cityhall.alerts.selectors import current_alerts
from cityhall.core.api_inputs import NoParameters, validated


class HasAlertsWriteKey(BasePermission):
    """A partner API key carrying `alerts:write`; nobody else."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return isinstance(user, ApiKeyPrincipal) and ApiScope.ALERTS_WRITE in user.scopes


class RawBodyParser(BaseParser):
    """Any media type: the body is read as bytes by the view."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream.read(MAX_DOCUMENT_BYTES + 1) if stream is not None else b""


class IncomingOutput(serializers.Serializer[IncomingAlert]):
    id = serializers.UUIDField(source="public_id")
    sender = serializers.CharField()
    identifier = serializers.CharField()
    sent = serializers.DateTimeField()
    created = serializers.BooleanField()


class AlertsApi(APIView):
    """GET /api/v1/alerts/: the current published alerts (JSON feed form)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="alerts_list")
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params)
        return Response(current_json(current_alerts()))


class CapInputApi(APIView):
    """POST /api/v1/alerts/cap: receive one CAP 1.2 document from an upstream authority."""

    permission_classes = [HasAlertsWriteKey]
    parser_classes = [RawBodyParser]

    @extend_schema(
        request={"application/cap+xml": OpenApiTypes.STR},
        responses={200: IncomingOutput, 201: IncomingOutput},
        operation_id="alerts_cap_receive",
    )
    def post(self, request: Request) -> Response:
        body = request.data if isinstance(request.data, bytes) else b""
        received = read_cap(body)
        if received.msg_type not in ("Alert", "Update", "Cancel"):
            message = _("Only messages of type Alert, Update and Cancel are received.")
            raise InvalidCap(fields={"document": [message]})
        principal = request.user
        assert isinstance(principal, ApiKeyPrincipal)  # checked by HasAlertsWriteKey
        incoming, created = receive_cap(
            received, source=IncomingAlert.Source.API, partner=principal.organisation
        )
        output = IncomingOutput({**_fields(incoming), "created": created}).data
        return Response(output, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _fields(incoming: IncomingAlert) -> dict[str, Any]:
    return {
        "public_id": incoming.public_id,
        "sender": incoming.sender,
        "identifier": incoming.identifier,
        "sent": incoming.sent,
    }
