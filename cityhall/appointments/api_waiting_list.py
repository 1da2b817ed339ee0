"""Waiting list endpoints under /api/v1/appointments/waiting-list: a person's own entries.

Join a waiting list, see one's entries (with the time offered, if any), accept or decline an
offer, leave. A session or a personal access token; someone else's entry answers 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts.api_permissions import IsPerson
from cityhall.appointments.api import BookingOutput, bookable_service, person_calling
from cityhall.appointments.selectors import (
    facilities_offering,
    get_waiting_entry_for_citizen,
    waiting_entries_for_citizen,
)
from cityhall.appointments.waiting_list import (
    accept_offer,
    decline_offer,
    join_waiting_list,
    leave_waiting_list,
)
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.errors import InvalidInput


class WaitingEntryOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    service = serializers.CharField(source="service.code")
    facility = serializers.UUIDField(source="facility.public_id")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    earliest_time = serializers.TimeField(allow_null=True)
    latest_time = serializers.TimeField(allow_null=True)
    status = serializers.CharField(
        help_text="awaiting (an email to confirm), waiting, offered, booked, left or lapsed."
    )
    offered_starts_at = serializers.DateTimeField(
        source="offered_booking.starts_at", allow_null=True, default=None
    )
    offer_expires_at = serializers.DateTimeField(allow_null=True)


class NewWaitingEntryInput(serializers.Serializer[Any]):
    service = serializers.SlugField(max_length=60)
    facility = serializers.UUIDField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    earliest_time = serializers.TimeField(required=False, allow_null=True, default=None)
    latest_time = serializers.TimeField(required=False, allow_null=True, default=None)


class MyWaitingListApi(APIView):
    """GET: the caller's open waiting list entries. POST: join a waiting list."""

    permission_classes = [IsPerson]

    @extend_schema(
        responses={200: WaitingEntryOutput(many=True)}, operation_id="my_waiting_entries_list"
    )
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params)
        entries = waiting_entries_for_citizen(person_calling(request))
        return Response(WaitingEntryOutput(entries, many=True).data)

    @extend_schema(
        request=NewWaitingEntryInput,
        responses={201: WaitingEntryOutput},
        operation_id="my_waiting_entries_create",
    )
    def post(self, request: Request) -> Response:
        """Join; a second entry for the same service and place answers 409 (`already_waiting`)."""
        data = validated(NewWaitingEntryInput, request.data)
        service = bookable_service(data["service"])
        facility = facilities_offering(service).filter(public_id=data["facility"]).first()
        if facility is None:
            raise InvalidInput(fields={"facility": [_("This service is not offered there.")]})
        entry = join_waiting_list(
            service=service,
            facility=facility,
            first_day=data["first_day"],
            last_day=data["last_day"],
            earliest_time=data["earliest_time"],
            latest_time=data["latest_time"],
            citizen=person_calling(request),
            language=get_language() or "en",
        )
        return Response(WaitingEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class MyWaitingEntryApi(APIView):
    """DELETE /api/v1/appointments/waiting-list/{id}: leave (a held time is freed)."""

    permission_classes = [IsPerson]

    @extend_schema(request=None, responses={204: None}, operation_id="my_waiting_entries_destroy")
    def delete(self, request: Request, public_id: UUID) -> Response:
        entry = get_waiting_entry_for_citizen(public_id=public_id, citizen=person_calling(request))
        leave_waiting_list(entry=entry, actor=person_calling(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AcceptOfferApi(APIView):
    """POST /api/v1/appointments/waiting-list/{id}/accept: book the time held for the entry."""

    permission_classes = [IsPerson]

    @extend_schema(
        request=None, responses={201: BookingOutput}, operation_id="waiting_offer_accept"
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        """No open offer answers 409 (`offer_not_open`)."""
        entry = get_waiting_entry_for_citizen(public_id=public_id, citizen=person_calling(request))
        booking = accept_offer(entry=entry, actor=person_calling(request))
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class DeclineOfferApi(APIView):
    """POST /api/v1/appointments/waiting-list/{id}/decline: give the held time to the next."""

    permission_classes = [IsPerson]

    @extend_schema(
        request=None, responses={200: WaitingEntryOutput}, operation_id="waiting_offer_decline"
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        """The entry keeps waiting for other times; no open offer answers 409."""
        entry = get_waiting_entry_for_citizen(public_id=public_id, citizen=person_calling(request))
        entry = decline_offer(entry=entry, actor=person_calling(request))
        return Response(WaitingEntryOutput(entry).data)
