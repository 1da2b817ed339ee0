"""Walk-in ticket endpoints under /api/v1/appointments/tickets: take one, follow it, cancel it.

Anyone may take a ticket (a city's app, a kiosk, a person without an account). A person
calling with a session or a personal token holds the ticket on their account; otherwise an
optional email or phone receives the "nearly your turn" message. The ticket's `token` is its
secret: whoever holds it may read or cancel the ticket, so it is answered once, at creation.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts.models import User
from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.queue_selectors import visit_by_token, visit_position
from cityhall.appointments.services_queue import cancel_ticket, take_ticket
from cityhall.appointments.wait_estimates import estimate_wait
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.errors import InvalidInput
from cityhall.places.models import Facility

TOKEN = OpenApiParameter("token", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")


class NewTicketInput(serializers.Serializer[Any]):
    facility = serializers.UUIDField()
    service = serializers.SlugField(max_length=60)
    needs_priority = serializers.BooleanField(
        required=False, default=False, help_text="Accessibility needs: called first among walk-ins."
    )
    contact_email = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=254
    )
    contact_phone = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=40
    )
    submission_key = serializers.UUIDField(
        required=False, help_text="Sending the same key again returns the first ticket."
    )


class TicketOutput(serializers.Serializer[Any]):
    number = serializers.CharField(help_text="The number shown on the displays, e.g. A012.")
    status = serializers.CharField(
        help_text="waiting, called, serving, served, no_show, transferred or cancelled."
    )
    service = serializers.CharField(source="service.code")
    facility = serializers.UUIDField(source="facility.public_id")
    joined_at = serializers.DateTimeField()
    called_at = serializers.DateTimeField(allow_null=True)
    counter = serializers.CharField(
        source="counter.label", allow_null=True, default=None, help_text="Once called."
    )
    position = serializers.SerializerMethodField(
        help_text="1 for the next to be called in this service; null once called or ended."
    )
    estimated_wait_minutes = serializers.SerializerMethodField(
        help_text="Null when no counter offering the service is open, or once called."
    )

    def get_position(self, visit: Visit) -> int | None:
        return visit_position(visit)

    def get_estimated_wait_minutes(self, visit: Visit) -> int | None:
        if visit.status != Visit.Status.WAITING:
            return None
        wait = estimate_wait(visit)
        return None if wait is None else -(-int(wait.total_seconds()) // 60)


class NewTicketOutput(TicketOutput):
    token = serializers.CharField(help_text="The ticket's secret: read or cancel it with it.")


def _walk_in_service(facility_id: Any, code: str) -> tuple[Facility, CounterService]:
    facility = Facility.objects.filter(public_id=facility_id, counters__isnull=False).first()
    service = CounterService.objects.filter(code=code).first()
    if facility is None:
        raise InvalidInput(fields={"facility": [_("No place with counters has this id.")]})
    if service is None:
        raise InvalidInput(fields={"service": [_("No service has this code.")]})
    return facility, service


class TicketsApi(APIView):
    """POST /api/v1/appointments/tickets: take a walk-in ticket now."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=NewTicketInput,
        responses={201: NewTicketOutput},
        operation_id="appointment_tickets_create",
    )
    def post(self, request: Request) -> Response:
        """Refused with 400 `walk_in_not_offered` or `facility_closed`, 409
        `ticket_limit_reached` for a person already holding the allowed open tickets."""
        data = validated(NewTicketInput, request.data)
        facility, service = _walk_in_service(data["facility"], data["service"])
        person = request.user if isinstance(request.user, User) else None
        visit = take_ticket(
            facility=facility,
            service=service,
            channel=Visit.Channel.PORTAL,
            actor=person,
            citizen=person,
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            language=get_language() or "en",
            needs_priority=data["needs_priority"],
            submission_key=data.get("submission_key"),
        )
        return Response(NewTicketOutput(visit).data, status=status.HTTP_201_CREATED)


class TicketApi(APIView):
    """GET / DELETE /api/v1/appointments/tickets/{token}: follow or cancel a ticket."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[TOKEN], responses={200: TicketOutput}, operation_id="appointment_ticket"
    )
    def get(self, request: Request, token: str) -> Response:
        """The ticket's state, place in the queue and estimated wait (after a transfer, the
        ticket's new visit)."""
        validated(NoParameters, request.query_params)
        return Response(TicketOutput(visit_by_token(token)).data)

    @extend_schema(
        parameters=[TOKEN],
        request=None,
        responses={204: None},
        operation_id="appointment_ticket_cancel",
    )
    def delete(self, request: Request, token: str) -> Response:
        """Leave the queue; 409 `visit_not_changeable` once being served."""
        visit = visit_by_token(token)
        cancel_ticket(visit=visit, actor=request.user if isinstance(request.user, User) else None)
        return Response(status=status.HTTP_204_NO_CONTENT)
