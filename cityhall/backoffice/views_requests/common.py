"""What the work-queue pages share: who may open them and how a request is loaded."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse

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


#: The section of the request's page each form sits in: after a change, staff land back on it.
SECTION_OF_FORM = {
    "status_form": "change-status",
    "update_form": "public-update",
    "note_form": "internal-note",
    "assign_form": "assign",
    "team_form": "team",
    "partner_form": "partner",
    "reroute_form": "reroute",
    "due_form": "due-date",
    "merge_form": "merge",
    "reveal_form": "contact",
}


def section_url(service_request: ServiceRequest, section: str) -> str:
    """The request's page, scrolled to one of its sections (an element id)."""
    page = reverse("backoffice:request_detail", kwargs={"public_id": service_request.public_id})
    return f"{page}#{section}"
