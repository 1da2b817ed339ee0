"""Who may handle a request: staff of the department it was routed to, city administrators,
and the partner organisation it was assigned to, through its members or its API keys."""

from __future__ import annotations

from typing import Any

from cityhall.accounts.models import ApiKey, PartnerMembership, User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import department_ids_with
from cityhall.core.errors import NotFound
from cityhall.servicerequests.models import ServiceRequest

#: Who acts on a request: a person, or a partner organisation through one of its API keys
#: (the API checks the key's scopes; here only its organisation counts).
Actor = User | ApiKey


def department_ids_handled_by(staff: User) -> set[int]:
    """The departments whose requests `staff` may handle: where they hold a role carrying
    `Capability.HANDLE_REQUESTS` (a city-wide one covers all). Other roles, such as a city-wide
    privacy officer's, open no request."""
    return department_ids_with(staff, Capability.HANDLE_REQUESTS)


def staff_may_handle(staff: Actor, service_request: ServiceRequest) -> bool:
    """Whether `staff` may handle requests of the request's department."""
    if isinstance(staff, ApiKey):
        return False
    return service_request.department_id in department_ids_handled_by(staff)


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


def partner_may_work_on(actor: Actor, service_request: ServiceRequest) -> bool:
    """Whether `actor` acts for the active partner organisation the request is assigned to."""
    partner_id = service_request.assigned_partner_id
    if partner_id is None:
        return False
    if isinstance(actor, ApiKey):
        return (
            actor.organisation_id == partner_id
            and actor.organisation.is_active
            and not actor.is_revoked
        )
    return partner_id in partner_organisation_ids_for(actor)


def require_handler_access(actor: Actor, service_request: ServiceRequest) -> None:
    """Staff of the request's department, or its partner's members; NotFound for anyone else."""
    if not (
        staff_may_handle(actor, service_request) or partner_may_work_on(actor, service_request)
    ):
        raise NotFound


def acting_person(actor: Actor) -> User | None:
    """The person to name as the actor of a step or an audit line (None for an API key)."""
    return actor if isinstance(actor, User) else None


def audit_details(actor: Actor) -> dict[str, Any]:
    """What an audit line adds to name an actor who is not a person: the key and its owner."""
    if isinstance(actor, ApiKey):
        return {"organisation": str(actor.organisation.public_id), "api_key": str(actor.public_id)}
    return {}
