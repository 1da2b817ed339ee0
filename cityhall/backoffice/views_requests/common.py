"""What the work-queue pages share: who may open them and how a request is loaded."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest

from cityhall.accounts.models import User
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import get_service_request_for_staff


def actor_of(request: HttpRequest) -> User:
    """The signed-in staff member (`staff_member_required` guarantees one)."""
    user = request.user
    assert isinstance(user, User)  # staff_member_required
    return user


def load_for_staff(public_id: UUID, actor: User) -> ServiceRequest:
    """The request through its audited door, as a 404 page when `actor` may not handle it."""
    return get_service_request_for_staff(public_id=public_id, staff=actor)
