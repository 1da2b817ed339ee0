"""A person's own service requests under /api/v1/requests, following others' requests, and
commenting on the requests they filed or follow.

Callers are people (a session or a personal access token); partner keys are refused. A
request filed by someone else answers 404, so its existence does not leak.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cityhall.accounts.api_permissions import IsPerson
from cityhall.accounts.models import User
from cityhall.catalog.selectors import get_service_for_citizen
from cityhall.core.api_inputs import NoParameters, validated
from cityhall.core.api_pagination import PAGE_PARAMETERS
from cityhall.core.errors import InvalidInput, NotFound
from cityhall.servicerequests.api_selectors import has_request_with_key, with_public_timelines
from cityhall.servicerequests.api_serializers import (
    CitizenRequestOutput,
    CommentInput,
    CommentOutput,
    CommentsOutput,
    FollowInput,
    FollowOutput,
    NewRequestInput,
    ReopenInput,
    StatusFilter,
)
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    CitizenComment,
    comments_for_citizen,
    get_service_request_for_citizen,
    get_service_request_to_follow,
    service_requests_for_citizen,
)
from cityhall.servicerequests.services import (
    Location,
    add_comment,
    change_service_request_status,
    follow_service_request,
    submit_service_request,
    unfollow_service_request,
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string up to 100 characters. Repeating a creation with the same key "
        "returns the request first created (200) instead of filing it twice."
    ),
)


def _person(request: Request) -> User:
    assert isinstance(request.user, User)  # IsPerson admitted only people
    return request.user


class MyRequestsApi(GenericAPIView[ServiceRequest]):
    """GET: the caller's requests, newest first. POST: file a new request."""

    permission_classes = [IsPerson]
    serializer_class = CitizenRequestOutput

    @extend_schema(
        parameters=[StatusFilter],
        responses={200: CitizenRequestOutput(many=True)},
        operation_id="my_requests_list",
    )
    def get(self, request: Request) -> Response:
        filters = validated(StatusFilter, request.query_params, also_known=PAGE_PARAMETERS)
        requests = with_public_timelines(
            service_requests_for_citizen(user=_person(request)).select_related("district")
        )
        if filters.get("status"):
            requests = requests.filter(status__in=filters["status"])
        page = self.paginate_queryset(requests)
        return self.get_paginated_response(CitizenRequestOutput(page, many=True).data)

    @extend_schema(
        request=NewRequestInput,
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: CitizenRequestOutput, 200: CitizenRequestOutput},
        operation_id="my_requests_create",
    )
    def post(self, request: Request) -> Response:
        """File a request as the caller; 200 with the first request for a repeated key.

        Wrong inputs are reported together (`description`, `answers.<code>`, `latitude`, …;
        an unknown `service` on its own), and nothing is stored.
        """
        data = validated(NewRequestInput, request.data)
        try:
            service = get_service_for_citizen(data["service"])
        except NotFound as error:
            raise InvalidInput(
                fields={"service": [_("No listed service has this code.")]}
            ) from error
        location = None
        if "latitude" in data:
            location = Location(latitude=data["latitude"], longitude=data["longitude"])
        key = request.headers.get("Idempotency-Key", "")
        existed = has_request_with_key(reporter=_person(request), idempotency_key=key)
        service_request = submit_service_request(
            reporter=_person(request),
            service=service,
            description=data["description"],
            answers=data["answers"],
            location=location,
            address_text=data["address_text"],
            channel=ServiceRequest.Channel.API,
            idempotency_key=key,
        )
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(CitizenRequestOutput(service_request).data, status=code)


class MyRequestApi(GenericAPIView[ServiceRequest]):
    """GET /api/v1/requests/{id}: one of the caller's requests with its public timeline."""

    permission_classes = [IsPerson]
    serializer_class = CitizenRequestOutput

    @extend_schema(operation_id="my_requests_retrieve")
    def get(self, request: Request, public_id: UUID) -> Response:
        validated(NoParameters, request.query_params)
        service_request = get_service_request_for_citizen(
            public_id=public_id, user=_person(request)
        )
        return Response(CitizenRequestOutput(service_request).data)


class ReopenApi(GenericAPIView[ServiceRequest]):
    """POST /api/v1/requests/{id}/reopen: the reporter says a settled request is not solved.

    Allowed within 14 days of resolution or closure (409 otherwise); the request goes back
    to in progress and the reason reaches staff.
    """

    permission_classes = [IsPerson]
    serializer_class = CitizenRequestOutput

    @extend_schema(request=ReopenInput, operation_id="my_requests_reopen_create")
    def post(self, request: Request, public_id: UUID) -> Response:
        data = validated(ReopenInput, request.data)
        service_request = get_service_request_for_citizen(
            public_id=public_id, user=_person(request)
        )
        change_service_request_status(
            service_request=service_request,
            actor=_person(request),
            to_status=ServiceRequest.Status.IN_PROGRESS,
            internal_note=data["reason"],
        )
        return Response(CitizenRequestOutput(service_request).data)


class FollowApi(GenericAPIView[Any]):
    """POST /api/v1/follows: be told about a request's progress, by its tracking number.

    Following twice changes nothing. A sensitive request filed by someone else answers 404.
    """

    permission_classes = [IsPerson]
    serializer_class = FollowOutput

    @extend_schema(
        request=FollowInput, responses={201: FollowOutput}, operation_id="follows_create"
    )
    def post(self, request: Request) -> Response:
        data = validated(FollowInput, request.data)
        service_request = get_service_request_to_follow(tracking_number=data["tracking_number"])
        follower = follow_service_request(service_request=service_request, user=_person(request))
        return Response(FollowOutput(follower).data, status=status.HTTP_201_CREATED)


class UnfollowApi(GenericAPIView[Any]):
    """DELETE /api/v1/follows/{tracking_number}: stop being told about a request's progress.

    Unfollowing a request not followed changes nothing (204); a sensitive request filed by
    someone else answers 404, as when following it.
    """

    permission_classes = [IsPerson]

    @extend_schema(request=None, responses={204: None}, operation_id="follows_destroy")
    def delete(self, request: Request, tracking_number: str) -> Response:
        service_request = get_service_request_to_follow(tracking_number=tracking_number)
        unfollow_service_request(service_request=service_request, user=_person(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentsApi(GenericAPIView[Any]):
    """GET, POST /api/v1/requests/{tracking_number}/comments: the caller's conversation with
    the city's staff about a request.

    Comments are never public: the reporter reads every comment on the request (followers'
    ones without their names), a follower only their own, anyone else none. Only the
    reporter and followers may comment (403 otherwise); staff answer with public updates.
    An unknown number answers 404.
    """

    permission_classes = [IsPerson]
    serializer_class = CommentsOutput

    @extend_schema(operation_id="request_comments_list")
    def get(self, request: Request, tracking_number: str) -> Response:
        validated(NoParameters, request.query_params)
        get_service_request_to_follow(tracking_number=tracking_number)  # 404 if unknown
        comments = comments_for_citizen(tracking_number=tracking_number, user=_person(request))
        return Response(CommentsOutput(comments).data)

    @extend_schema(
        request=CommentInput, responses={201: CommentOutput}, operation_id="request_comments_create"
    )
    def post(self, request: Request, tracking_number: str) -> Response:
        data = validated(CommentInput, request.data)
        service_request = get_service_request_to_follow(tracking_number=tracking_number)
        comment = add_comment(
            service_request=service_request, author=_person(request), body=data["body"]
        )
        shown = CitizenComment(body=comment.body, at=comment.created_at, is_own=True)
        return Response(CommentOutput(shown).data, status=status.HTTP_201_CREATED)
