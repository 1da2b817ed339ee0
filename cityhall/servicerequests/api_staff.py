"""Staff endpoints for service requests (partners' are in api_partner).

/api/v1/staff/requests: the caller's queue (requests routed to their departments), detail,
status changes with public and internal notes, and assignment (a colleague, a team of the
department, a partner). Only staff whose roles carry `Capability.HANDLE_REQUESTS` (the
permission table the back office's request pages use too) get past the door, others 403; a
request of a department they do not handle answers 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cityhall.accounts.api_permissions import IsStaffMember
from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import (
    get_active_partner_organisation,
    get_active_user,
    has_capability,
)
from cityhall.catalog.selectors import get_service_for_citizen
from cityhall.core.api_inputs import validated
from cityhall.core.api_pagination import PAGE_PARAMETERS
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.api_serializers import (
    AssignmentInput,
    PartnerAssignmentInput,
    PublicUpdateInput,
    StaffRequestListItem,
    StaffRequestOutput,
    StatusChangeInput,
    StatusFilter,
)
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    get_service_request_for_staff,
    service_requests_for_staff_queue,
    teams_to_hand_over_to,
)
from cityhall.servicerequests.services import (
    assign_partner,
    assign_service_request,
    assign_team,
    change_service_request_status,
    post_public_update,
)
from cityhall.servicerequests.services.contact_reveals import (
    REASON_NOTE_MAX_LENGTH,
    AccessReason,
    reveal_contact_details,
)
from cityhall.servicerequests.staff_reads import contact_details_revealed


class CanHandleRequests(IsStaffMember):
    """A staff member (as `IsStaffMember` checks it) whose roles carry HANDLE_REQUESTS."""

    #: Read by the role walk, like `required_capability` on back-office views.
    required_capability = Capability.HANDLE_REQUESTS

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        assert isinstance(request.user, User)  # IsStaffMember admitted only people
        return has_capability(request.user, self.required_capability)


def _staff(request: Request) -> User:
    assert isinstance(request.user, User)  # CanHandleRequests admitted only people
    return request.user


class QueueFilters(StatusFilter):
    service = serializers.SlugField(required=False, max_length=60, help_text="A service code.")
    assigned_to_me = serializers.BooleanField(required=False, default=False)
    team = serializers.UUIDField(required=False, help_text="A team of the caller's departments.")
    my_teams = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only requests given to a team the caller is a member of.",
    )
    overdue = serializers.BooleanField(required=False, default=False)
    created_after = serializers.DateTimeField(
        required=False, help_text="ISO 8601; without an offset, the city's time zone."
    )
    created_before = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        after, before = attrs.get("created_after"), attrs.get("created_before")
        if after is not None and before is not None and after > before:
            message = _("This must be later than created_after.")
            raise serializers.ValidationError({"created_before": [message]})
        return attrs


class StaffQueueApi(GenericAPIView[ServiceRequest]):
    """GET /api/v1/staff/requests: requests routed to the caller's departments, due first."""

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestListItem

    @extend_schema(
        parameters=[QueueFilters],
        responses={200: StaffRequestListItem(many=True)},
        operation_id="staff_requests_list",
    )
    def get(self, request: Request) -> Response:
        filters = validated(QueueFilters, request.query_params, also_known=PAGE_PARAMETERS)
        service = None
        if "service" in filters:
            try:
                service = get_service_for_citizen(filters["service"])
            except NotFound as error:
                message = _("No listed service has this code.")
                raise InvalidInput(fields={"service": [message]}) from error
        queue = service_requests_for_staff_queue(
            staff=_staff(request),
            statuses=filters.get("status"),
            service=service,
            assignee=_staff(request) if filters["assigned_to_me"] else None,
            teams_of=_staff(request) if filters["my_teams"] else None,
            overdue_at=timezone.now() if filters["overdue"] else None,
        ).select_related("district", "assigned_partner")
        if "team" in filters:
            queue = queue.filter(assigned_team__public_id=filters["team"])
        if "created_after" in filters:
            queue = queue.filter(created_at__gte=filters["created_after"])
        if "created_before" in filters:
            queue = queue.filter(created_at__lt=filters["created_before"])
        page = self.paginate_queryset(queue)
        return self.get_paginated_response(StaffRequestListItem(page, many=True).data)


def _output(service_request: ServiceRequest, request: Request) -> dict[str, Any]:
    """The request for the caller, with the contact details only if they gave a reason."""
    revealed = contact_details_revealed(service_request=service_request, staff=_staff(request))
    return dict(StaffRequestOutput(service_request, context={"contact_revealed": revealed}).data)


class ContactReasonParameters(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(
        choices=AccessReason.choices,
        required=False,
        help_text=(
            "Why you need the citizen's contact details and private answers. Given, the read "
            "is audited with it and they are included, on this and your next reads of the "
            "request for CONTACT_REVEAL_MINUTES (30 by default); without it they are left out "
            "(`contact_revealed` false). The citizen and the privacy officer see the reason."
        ),
    )
    reason_note = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=REASON_NOTE_MAX_LENGTH,
        help_text="In your own words, required when `reason` is `other`.",
    )


class StaffRequestApi(GenericAPIView[ServiceRequest]):
    """GET /api/v1/staff/requests/{id}: the full request and internal notes; the citizen's
    contact details and private answers once the caller gives a `reason`.

    Each read is audited, and each reason given too.
    """

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestOutput

    @extend_schema(parameters=[ContactReasonParameters], operation_id="staff_requests_retrieve")
    def get(self, request: Request, public_id: UUID) -> Response:
        parameters = validated(ContactReasonParameters, request.query_params)
        service_request = get_service_request_for_staff(public_id=public_id, staff=_staff(request))
        if "reason" in parameters:
            reveal_contact_details(
                service_request=service_request,
                staff=_staff(request),
                reason=parameters["reason"],
                note=parameters["reason_note"],
            )
        return Response(_output(service_request, request))


class StaffStatusApi(GenericAPIView[ServiceRequest]):
    """POST /api/v1/staff/requests/{id}/status: move the request on, with optional notes.

    The public note reaches the reporter and followers; the internal note only staff. 409
    for a transition the workflow refuses.
    """

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestOutput

    @extend_schema(request=StatusChangeInput, operation_id="staff_requests_status_create")
    def post(self, request: Request, public_id: UUID) -> Response:
        data = validated(StatusChangeInput, request.data)
        service_request = get_service_request_for_staff(public_id=public_id, staff=_staff(request))
        change_service_request_status(
            service_request=service_request,
            actor=_staff(request),
            to_status=data["status"],
            public_note=data["public_note"],
            internal_note=data["internal_note"],
        )
        return Response(_output(service_request, request))


class StaffPublicUpdateApi(GenericAPIView[ServiceRequest]):
    """POST /api/v1/staff/requests/{id}/updates: a note for the reporter and followers."""

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestOutput

    @extend_schema(
        request=PublicUpdateInput,
        responses={201: StaffRequestOutput},
        operation_id="staff_requests_updates_create",
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        data = validated(PublicUpdateInput, request.data)
        service_request = get_service_request_for_staff(public_id=public_id, staff=_staff(request))
        post_public_update(
            service_request=service_request, actor=_staff(request), public_note=data["public_note"]
        )
        return Response(_output(service_request, request), status=status.HTTP_201_CREATED)


class StaffAssignmentApi(GenericAPIView[ServiceRequest]):
    """PUT /api/v1/staff/requests/{id}/assignee: give the request to a colleague, or null.

    400 (`assignee`) for someone who does not work in the request's department.
    """

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestOutput

    @extend_schema(request=AssignmentInput, operation_id="staff_requests_assignee_update")
    def put(self, request: Request, public_id: UUID) -> Response:
        data = validated(AssignmentInput, request.data)
        assignee = None
        if data["assignee"] is not None:
            assignee = get_active_user(public_id=data["assignee"])
            if assignee is None:
                raise InvalidInput(fields={"assignee": [_("No active account has this id.")]})
        service_request = get_service_request_for_staff(public_id=public_id, staff=_staff(request))
        assign_service_request(
            service_request=service_request, actor=_staff(request), assignee=assignee
        )
        return Response(_output(service_request, request))


class StaffPartnerAssignmentApi(GenericAPIView[ServiceRequest]):
    """PUT /api/v1/staff/requests/{id}/partner: hand the request to a partner, or null."""

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestOutput

    @extend_schema(request=PartnerAssignmentInput, operation_id="staff_requests_partner_update")
    def put(self, request: Request, public_id: UUID) -> Response:
        data = validated(PartnerAssignmentInput, request.data)
        partner = None
        if data["partner"] is not None:
            partner = get_active_partner_organisation(public_id=data["partner"])
            if partner is None:
                message = _("No active partner organisation has this id.")
                raise InvalidInput(fields={"partner": [message]})
        service_request = get_service_request_for_staff(public_id=public_id, staff=_staff(request))
        assign_partner(service_request=service_request, actor=_staff(request), partner=partner)
        return Response(_output(service_request, request))


class TeamAssignmentInput(serializers.Serializer[Any]):
    team = serializers.UUIDField(
        allow_null=True,
        help_text="An active team of the request's department; null takes it back.",
    )


class StaffTeamAssignmentApi(GenericAPIView[ServiceRequest]):
    """PUT /api/v1/staff/requests/{id}/team: give the request to a team of its department, or null.

    The assignee stays only if they are a member of the team. 400 (`team`) for an id that is
    not an active team of the request's department.
    """

    permission_classes = [CanHandleRequests]
    serializer_class = StaffRequestOutput

    @extend_schema(request=TeamAssignmentInput, operation_id="staff_requests_team_update")
    def put(self, request: Request, public_id: UUID) -> Response:
        data = validated(TeamAssignmentInput, request.data)
        service_request = get_service_request_for_staff(public_id=public_id, staff=_staff(request))
        team = None
        if data["team"] is not None:
            teams = teams_to_hand_over_to(department_id=service_request.department_id)
            team = teams.filter(public_id=data["team"]).first()
            if team is None:
                message = _("No active team of the request's department has this id.")
                raise InvalidInput(fields={"team": [message]})
        assign_team(service_request=service_request, actor=_staff(request), team=team)
        return Response(_output(service_request, request))
