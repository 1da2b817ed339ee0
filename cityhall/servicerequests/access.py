"""Who may handle a request: staff of the department it was routed to, and city administrators."""

from __future__ import annotations

from cityhall.accounts.models import User
from cityhall.accounts.selectors import department_ids_for_staff
from cityhall.core.errors import NotFound
from cityhall.servicerequests.models import ServiceRequest


def staff_may_handle(staff: User, service_request: ServiceRequest) -> bool:
    """Whether `staff` holds a role in the request's department (a city-wide role covers all)."""
    return service_request.department_id in department_ids_for_staff(staff)


def require_staff_access(staff: User, service_request: ServiceRequest) -> None:
    """Raise NotFound, not PermissionDenied, so that a request's existence does not leak."""
    if not staff_may_handle(staff, service_request):
        raise NotFound
