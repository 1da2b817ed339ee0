"""Who may handle a request: staff of the department it was routed to, city administrators,
and members of the partner organisation it was assigned to."""

from __future__ import annotations

from cityhall.accounts.models import PartnerMembership, User
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


def partner_organisation_ids_for(user: User) -> set[int]:
    """Active organisations `user` (active) acts for; empty for everyone else."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(
        PartnerMembership.objects.filter(user=user, organisation__is_active=True).values_list(
            "organisation_id", flat=True
        )
    )


def partner_may_work_on(user: User, service_request: ServiceRequest) -> bool:
    """Whether `user` acts for the active partner organisation the request is assigned to."""
    partner_id = service_request.assigned_partner_id
    return partner_id is not None and partner_id in partner_organisation_ids_for(user)


def require_handler_access(actor: User, service_request: ServiceRequest) -> None:
    """Staff of the request's department, or its partner's members; NotFound for anyone else."""
    if not (
        staff_may_handle(actor, service_request) or partner_may_work_on(actor, service_request)
    ):
        raise NotFound
