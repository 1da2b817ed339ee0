"""Appointment endpoints under /api/v1/appointments/: services, free slots and a person's bookings.

Services and slots are public. Bookings are a person's own (a session or a personal access
token; partner keys are refused); someone else's booking answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts.api_permissions import IsPerson
from cityhall.accounts.models import User
from cityhall.appointments.models import CounterService
from cityhall.appointments.selectors import (
    bookable_services,
    bookings_for_citizen,
    facilities_offering,
    get_booking_for_citizen,
    slots_between,
)
from cityhall.appointments.services import book_appointment, cancel_booking
from cityhall.appointments.slots import city_zone
from cityhall.catalog.api import Bilingual
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.errors import InvalidInput, NotFound

#: The longest range of days one slot search may cover.
MAX_SLOT_DAYS = 31


class FacilityOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    name = serializers.SerializerMethodField()
    address = serializers.CharField(source="address_text")

    @extend_schema_field(Bilingual)
    def get_name(self, facility: Any) -> dict[str, str]:
        return {"en": facility.name_en, "fr": facility.name_fr}


class CounterServiceOutput(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    duration_minutes = serializers.IntegerField()
    access = serializers.ChoiceField(choices=CounterService.Access.choices)
    booking_horizon_days = serializers.IntegerField()
    minimum_notice_minutes = serializers.IntegerField()
    facilities = serializers.SerializerMethodField()

    @extend_schema_field(Bilingual)
    def get_name(self, service: CounterService) -> dict[str, str]:
        return {"en": service.name_en, "fr": service.name_fr}

    @extend_schema_field(Bilingual)
    def get_documents(self, service: CounterService) -> dict[str, str]:
        return {"en": service.documents_en, "fr": service.documents_fr}

    @extend_schema_field(FacilityOutput(many=True))
    def get_facilities(self, service: CounterService) -> list[dict[str, Any]]:
        return list(FacilityOutput(facilities_offering(service), many=True).data)


class SlotOutput(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class BookingOutput(serializers.Serializer[Any]):
    id = serializers.UUIDField(source="public_id")
    service = serializers.CharField(source="service.code")
    facility = serializers.UUIDField(source="facility.public_id")
    counter = serializers.CharField(source="counter.label")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField(
        help_text="awaiting (an email to confirm), confirmed, cancelled or expired."
    )


class SlotFilters(serializers.Serializer[Any]):
    facility = serializers.UUIDField()
    first_day = serializers.DateField(required=False)
    last_day = serializers.DateField(required=False)


class NewBookingInput(serializers.Serializer[Any]):
    service = serializers.SlugField(max_length=60)
    facility = serializers.UUIDField()
    starts_at = serializers.DateTimeField()
    submission_key = serializers.UUIDField(
        required=False, help_text="Sending the same key again returns the first booking."
    )


def person_calling(request: Request) -> User:
    """The person behind the request (views that call this admit only people)."""
    assert isinstance(request.user, User)  # IsPerson admitted only people
    return request.user


def bookable_service(code: str) -> CounterService:
    """The bookable service of this code, or NotFound (404)."""
    found = bookable_services().filter(code=code).first()
    if found is None:
        raise NotFound(_("No service with this code can be booked."))
    return found


class ServicesApi(APIView):
    """GET /api/v1/appointments/services: services that can be booked, and where."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: CounterServiceOutput(many=True)}, operation_id="appointment_services_list"
    )
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params)
        return Response(CounterServiceOutput(bookable_services(), many=True).data)


class SlotsApi(APIView):
    """GET /api/v1/appointments/services/{code}/slots: free times at a facility.

    From `first_day` (today by default) to `last_day` (a week later by default), at most 31
    days; times are in the city's time zone, with their offset.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            SlotFilters,
            OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$"),
        ],
        responses={200: SlotOutput(many=True)},
        operation_id="appointment_slots_list",
    )
    def get(self, request: Request, code: str) -> Response:
        filters = validated(SlotFilters, request.query_params)
        service = bookable_service(code)
        facility = facilities_offering(service).filter(public_id=filters["facility"]).first()
        if facility is None:
            raise InvalidInput(fields={"facility": [_("This service is not offered there.")]})
        first = filters.get("first_day") or timezone.now().astimezone(city_zone()).date()
        last = filters.get("last_day") or first + dt.timedelta(days=7)
        if not 0 <= (last - first).days < MAX_SLOT_DAYS:
            raise InvalidInput(fields={"last_day": [_("Give a range of 1 to 31 days, in order.")]})
        found = slots_between(service=service, facility=facility, first=first, last=last)
        slots = [slot for day_slots in found.values() for slot in day_slots]
        return Response(SlotOutput(slots, many=True).data)


class MyBookingsApi(APIView):
    """GET: the caller's coming bookings. POST: book a free time."""

    permission_classes = [IsPerson]

    @extend_schema(responses={200: BookingOutput(many=True)}, operation_id="my_bookings_list")
    def get(self, request: Request) -> Response:
        validated(NoParameters, request.query_params)
        return Response(
            BookingOutput(bookings_for_citizen(person_calling(request)), many=True).data
        )

    @extend_schema(
        request=NewBookingInput,
        responses={201: BookingOutput},
        operation_id="my_bookings_create",
    )
    def post(self, request: Request) -> Response:
        """Book as the caller; a time taken meanwhile answers 409 (`slot_taken`)."""
        data = validated(NewBookingInput, request.data)
        service = bookable_service(data["service"])
        facility = facilities_offering(service).filter(public_id=data["facility"]).first()
        if facility is None:
            raise InvalidInput(fields={"facility": [_("This service is not offered there.")]})
        booking = book_appointment(
            service=service,
            facility=facility,
            starts_at=data["starts_at"],
            citizen=person_calling(request),
            language=get_language() or "en",
            submission_key=data.get("submission_key"),
        )
        return Response(BookingOutput(booking).data, status=status.HTTP_201_CREATED)


class MyBookingApi(APIView):
    """DELETE /api/v1/appointments/bookings/{id}: cancel one of the caller's bookings."""

    permission_classes = [IsPerson]

    @extend_schema(request=None, responses={204: None}, operation_id="my_bookings_destroy")
    def delete(self, request: Request, public_id: UUID) -> Response:
        booking = get_booking_for_citizen(public_id=public_id, citizen=person_calling(request))
        cancel_booking(booking=booking, actor=person_calling(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
