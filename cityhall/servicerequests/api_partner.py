"""Partner endpoints for service requests: /api/v1/partner/requests.

Reads: a partner API key with `requests:read`, or a member of a partner organisation, sees the
requests assigned to that organisation, without the reporter's personal data but for their
contact details when the reporter allows sharing them (`partner_contact`).

Writes (`…/status`, `…/updates` and `…/notes`): a partner API key with `requests:write`, or a
member of the assigned partner organisation, moves the request along PARTNER_TRANSITIONS
(start and resolve), with a public note for the reporter and an internal note for city staff,
posts a public update, or adds an internal note for city staff alone. Each change is audited
with the member as actor, or, for a key, naming the organisation and the key. A request not
assigned to the caller's organisation answers 404, a transition the partner workflow refuses
409.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cityhall.accounts.api_permissions import IsPartnerCaller
from cityhall.accounts.authentication import ApiKeyPrincipal
from cityhall.accounts.models import User
from cityhall.accounts.scopes import ApiScope
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.api_pagination import PAGE_PARAMETERS
from cityhall.servicerequests.access import Actor
from cityhall.servicerequests.api_selectors import (
    get_service_request_for_partner_organisation,
    service_requests_for_partner_organisation,
    with_public_timelines,
)
from cityhall.servicerequests.api_serializers import (
    PartnerRequestOutput,
    PublicUpdateInput,
    StatusChangeInput,
    StatusFilter,
)
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.partner_contact import contacts_for_partner
from cityhall.servicerequests.selectors import (
    get_service_request_for_partner,
    service_requests_for_partner,
)
from cityhall.servicerequests.services import (
    add_internal_note,
    change_service_request_status,
    post_public_update,
)
from cityhall.servicerequests.services.comments import COMMENT_MAX_LENGTH


class CanReadPartnerRequests(IsPartnerCaller):
    required_scope = ApiScope.REQUESTS_READ


class CanWorkOnPartnerRequests(IsPartnerCaller):
    required_scope = ApiScope.REQUESTS_WRITE


def _partner_queue(request: Request, statuses: list[str] | None) -> QuerySet[ServiceRequest]:
    caller = request.user
    if isinstance(caller, ApiKeyPrincipal):
        return service_requests_for_partner_organisation(
            organisation=caller.organisation, statuses=statuses
        )
    assert isinstance(caller, User)  # CanReadPartnerRequests admits keys and people only
    return service_requests_for_partner(user=caller).filter(
        status__in=statuses or sorted(ServiceRequest.OPEN_STATUSES)
    )


def _partner_request(request: Request, public_id: UUID) -> ServiceRequest:
    caller = request.user
    if isinstance(caller, ApiKeyPrincipal):
        return get_service_request_for_partner_organisation(
            public_id=public_id, organisation=caller.organisation
        )
    assert isinstance(caller, User)  # the partner permissions admit keys and people only
    return get_service_request_for_partner(public_id=public_id, user=caller)


def _actor(request: Request) -> Actor:
    caller = request.user
    if isinstance(caller, ApiKeyPrincipal):
        return caller.api_key
    assert isinstance(caller, User)  # CanWorkOnPartnerRequests admits keys and people only
    return caller


def _answer(service_request: ServiceRequest, *, status_code: int) -> Response:
    """The request as the partner sees it, its timeline including the step just added."""
    return Response(PartnerRequestOutput(service_request).data, status=status_code)


class PartnerQueueApi(GenericAPIView[ServiceRequest]):
    """GET /api/v1/partner/requests: requests assigned to the caller's organisation(s)."""

    permission_classes = [CanReadPartnerRequests]
    serializer_class = PartnerRequestOutput

    @extend_schema(
        parameters=[StatusFilter],
        responses={200: PartnerRequestOutput(many=True)},
        operation_id="partner_requests_list",
    )
    def get(self, request: Request) -> Response:
        filters = validated(StatusFilter, request.query_params, also_known=PAGE_PARAMETERS)
        queue = with_public_timelines(_partner_queue(request, filters.get("status")))
        page = self.paginate_queryset(queue) or []
        context = {"partner_contacts": contacts_for_partner(page)}
        return self.get_paginated_response(
            PartnerRequestOutput(page, many=True, context=context).data
        )


class PartnerRequestApi(GenericAPIView[ServiceRequest]):
    """GET /api/v1/partner/requests/{id}: one request assigned to the caller's organisation."""

    permission_classes = [CanReadPartnerRequests]
    serializer_class = PartnerRequestOutput

    @extend_schema(operation_id="partner_requests_retrieve")
    def get(self, request: Request, public_id: UUID) -> Response:
        validated(NoParameters, request.query_params)
        service_request = _partner_request(request, public_id)
        return Response(PartnerRequestOutput(service_request).data)


class PartnerStatusApi(GenericAPIView[ServiceRequest]):
    """POST /api/v1/partner/requests/{id}/status: start or resolve a request assigned to the
    caller's organisation, with an optional public note and an internal note for city staff.

    409 for a transition the partner workflow refuses (a partner starts and resolves only).
    """

    permission_classes = [CanWorkOnPartnerRequests]
    serializer_class = PartnerRequestOutput

    @extend_schema(request=StatusChangeInput, operation_id="partner_requests_status_create")
    def post(self, request: Request, public_id: UUID) -> Response:
        data = validated(StatusChangeInput, request.data)
        service_request = _partner_request(request, public_id)
        change_service_request_status(
            service_request=service_request,
            actor=_actor(request),
            to_status=data["status"],
            public_note=data["public_note"],
            internal_note=data["internal_note"],
        )
        return _answer(service_request, status_code=status.HTTP_200_OK)


class PartnerPublicUpdateApi(GenericAPIView[ServiceRequest]):
    """POST /api/v1/partner/requests/{id}/updates: a note for the reporter and followers."""

    permission_classes = [CanWorkOnPartnerRequests]
    serializer_class = PartnerRequestOutput

    @extend_schema(
        request=PublicUpdateInput,
        responses={201: PartnerRequestOutput},
        operation_id="partner_requests_updates_create",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        data = validated(PublicUpdateInput, request.data)
        service_request = _partner_request(request, public_id)
        post_public_update(
            service_request=service_request, actor=_actor(request), public_note=data["public_note"]
        )
        return _answer(service_request, status_code=status.HTTP_201_CREATED)


class PartnerInternalNoteApi(GenericAPIView[ServiceRequest]):
    """POST /api/v1/partner/requests/{id}/notes: a note for city staff, status unchanged.

    Neither the reporter nor the partner's own reads show it.
    """

    class Input(serializers.Serializer[Any]):
        internal_note = serializers.CharField(max_length=COMMENT_MAX_LENGTH)

    permission_classes = [CanWorkOnPartnerRequests]
    serializer_class = PartnerRequestOutput

    @extend_schema(
        request=Input,
        responses={201: PartnerRequestOutput},
        operation_id="partner_requests_notes_create",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        data = validated(self.Input, request.data)
        service_request = _partner_request(request, public_id)
        add_internal_note(
            service_request=service_request,
            actor=_actor(request),
            internal_note=data["internal_note"],
        )
        return _answer(service_request, status_code=status.HTTP_201_CREATED)
