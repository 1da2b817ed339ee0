"""Reads the request pages need that the domain selectors lack so far.

Each function is written as its selector would be, so that moving it into
`cityhall.servicerequests.selectors` (or, for the form's questions, `cityhall.catalog.selectors`)
changes only the import lines of the views.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from cityhall.accounts.models import User
from cityhall.catalog.models import Service, ServiceField
from cityhall.core.errors import NotFound
from cityhall.servicerequests.models import ServiceRequest


def _normalised(tracking_number: str) -> str:
    return tracking_number.strip().upper()


def get_service_request_for_reporter(
    *, tracking_number: str, user: User | AnonymousUser
) -> ServiceRequest:
    """The request with this number if `user` filed it. Raises NotFound for anyone else."""
    if not user.is_authenticated:
        raise NotFound
    service_request = (
        ServiceRequest.objects.select_related("service", "district")
        .filter(tracking_number=_normalised(tracking_number), reporter_id=user.pk)
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


def get_service_request_to_follow(*, tracking_number: str) -> ServiceRequest:
    """The request to hand to `follow_service_request` (which checks who may follow it).

    Raises NotFound for an unknown number.
    """
    service_request = (
        ServiceRequest.objects.select_related("service")
        .filter(tracking_number=_normalised(tracking_number))
        .first()
    )
    if service_request is None:
        raise NotFound
    return service_request


def expected_resolution_at(*, tracking_number: str) -> datetime | None:
    """When the city aims to have the request resolved (its SLA due date), if known."""
    return (
        ServiceRequest.objects.filter(tracking_number=_normalised(tracking_number))
        .values_list("due_at", flat=True)
        .first()
    )


def service_requests_for_citizen(*, user: User) -> QuerySet[ServiceRequest]:
    """The requests `user` filed, newest first, with their services loaded."""
    return (
        ServiceRequest.objects.filter(reporter=user)
        .select_related("service")
        .order_by("-created_at", "-id")
    )


def service_fields_for_request_form(service: Service) -> list[ServiceField]:
    """The service's questions in form order, with their choices loaded in one query."""
    return list(service.fields.prefetch_related("choices").order_by("order", "id"))
