"""Serving a request's photos to staff who may handle the request."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.views_requests.common import actor_of
from cityhall.portal.views_requests.photos import photo_response
from cityhall.servicerequests.photos import get_request_photo_for_staff


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_GET
def request_photo(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One photo of a request routed to the staff member's departments; 404 otherwise."""
    photo = get_request_photo_for_staff(public_id=public_id, staff=actor_of(request))
    return photo_response(photo)
