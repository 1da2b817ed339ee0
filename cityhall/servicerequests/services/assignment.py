"""Who works on a request: an agent or a team of its department, another department, or a
partner.

Every change of the agent, department or partner sends `service_request_assigned`, which
outbound webhooks listen to. A team is the city's internal organisation: giving a request to a
team announces it only when that also takes the request from its agent (see `assign_team`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cityhall.accounts.models import PartnerOrganisation, Team, User
from cityhall.catalog.models import Department
from cityhall.core.audit import record_audit_event
from cityhall.core.errors import Conflict, InvalidInput
from cityhall.servicerequests.access import require_staff_access, staff_may_handle
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.events import service_request_assigned
from cityhall.servicerequests.models import ServiceRequest, StatusChange

#: Longest reason kept for a re-routing (it is shown to staff in the timeline).
REASON_MAX_LENGTH = 300


def _announce(service_request: ServiceRequest, actor: User) -> None:
    service_request_assigned.send(
        sender=ServiceRequest,
        service_request=service_request,
        actor=actor,
        assignee=service_request.assignee,
        partner=service_request.assigned_partner,
    )


@transaction.atomic
def assign_service_request(
    *, service_request: ServiceRequest, actor: User, assignee: User | None
) -> ServiceRequest:
    """Give the request to `assignee` (None takes it back to the department's pool).

    Raises NotFound when `actor` may not handle the request, InvalidInput (`assignee`) when
    the assignee does not work in the request's department.
    """
    require_staff_access(actor, service_request)
    if assignee is not None and not staff_may_handle(assignee, service_request):
        raise InvalidInput(
            fields={"assignee": [_("This person does not work in the request's department.")]}
        )
    service_request.assignee = assignee
    service_request.save(update_fields=["assignee", "updated_at"])
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.ASSIGNED,
        target=service_request,
        data={"assignee": str(assignee.public_id) if assignee is not None else None},
    )
    _announce(service_request, actor)
    return service_request


@transaction.atomic
def assign_partner(
    *, service_request: ServiceRequest, actor: User, partner: PartnerOrganisation | None
) -> ServiceRequest:
    """Hand the request to `partner` (None takes it back); its members then see and work it.

    Raises NotFound when `actor` may not handle the request, InvalidInput (`partner`) for an
    inactive organisation.
    """
    require_staff_access(actor, service_request)
    if partner is not None and not partner.is_active:
        raise InvalidInput(fields={"partner": [_("This organisation is no longer active.")]})
    service_request.assigned_partner = partner
    service_request.save(update_fields=["assigned_partner", "updated_at"])
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.ASSIGNED_TO_PARTNER,
        target=service_request,
        data={"partner": str(partner.public_id) if partner is not None else None},
    )
    _announce(service_request, actor)
    return service_request


@transaction.atomic
def reroute_service_request(
    *, service_request: ServiceRequest, actor: User, department: Department, reason: str
) -> ServiceRequest:
    """Hand the request to another department, for `reason` (kept in staff's timeline).

    The request leaves its assignee and its team, who work elsewhere. Raises NotFound when
    `actor` may not handle the request, InvalidInput (`reason`, `department`) for a missing
    reason or the same department, Conflict for a settled request.
    """
    require_staff_access(actor, service_request)
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = [_("Say why the request goes to another team.")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("Keep the reason under 300 characters.")]
    if department.pk == service_request.department_id:
        errors["department"] = [_("The request is already with this department.")]
    if errors:
        raise InvalidInput(fields=errors)
    if not service_request.is_open:
        raise Conflict(_("A settled request cannot be handed to another team."))
    previous = service_request.department
    # Its agent and team work elsewhere.
    service_request.department, service_request.assignee = department, None
    service_request.assigned_team = None
    service_request.save(update_fields=["department", "assignee", "assigned_team", "updated_at"])
    StatusChange.objects.create(
        service_request=service_request,
        actor=actor,
        from_status=service_request.status,
        to_status=service_request.status,
        internal_note=_("Handed from %(from)s to %(to)s: %(reason)s")
        % {"from": previous.name, "to": department.name, "reason": reason},
        is_public=False,
    )
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.REROUTED,
        target=service_request,
        # The reason is the staff's free text, kept in the internal note; audit lines carry
        # no free text (docs/decisions/0019).
        data={"from": previous.code, "to": department.code},
    )
    _announce(service_request, actor)
    return service_request


@transaction.atomic
def assign_team(
    *, service_request: ServiceRequest, actor: User, team: Team | None
) -> ServiceRequest:
    """Give the request to `team` (None takes it back to the department's pool).

    The request keeps its agent only if they are a member of the team: a crew dispatches its
    own work, so a request given to the night crew leaves the day agent's list. Staff see the
    change as an internal step of the timeline. `service_request_assigned` is sent only when the
    agent was taken off, since what it carries (partner, whether a person holds the request)
    says nothing of teams and partners need not hear of the city's internal dispatching.

    Giving the request to the team that holds it changes nothing. Raises NotFound when `actor`
    may not handle the request, InvalidInput (`team`) for a team that is inactive or belongs to
    another department.
    """
    require_staff_access(actor, service_request)
    if team is not None and not (
        team.is_active and team.department_id == service_request.department_id
    ):
        raise InvalidInput(
            fields={"team": [_("Choose an active team of the request's department.")]}
        )
    previous = service_request.assigned_team
    if team == previous:
        return service_request
    assignee = service_request.assignee
    if (
        team is not None
        and assignee is not None
        and not team.members.filter(pk=assignee.pk).exists()
    ):
        assignee = None
    agent_taken_off = assignee is None and service_request.assignee_id is not None
    service_request.assigned_team, service_request.assignee = team, assignee
    service_request.save(update_fields=["assigned_team", "assignee", "updated_at"])
    if team is not None:
        note = _("Given to the team %(team)s.") % {"team": team.name}
    else:
        assert previous is not None  # team != previous
        note = _("Taken back from the team %(team)s.") % {"team": previous.name}
    StatusChange.objects.create(
        service_request=service_request,
        actor=actor,
        from_status=service_request.status,
        to_status=service_request.status,
        internal_note=note,
        is_public=False,
    )
    record_audit_event(
        actor=actor,
        action=ServiceRequestAuditAction.ASSIGNED,
        target=service_request,
        data={
            "team": str(team.public_id) if team is not None else None,
            "assignee": str(assignee.public_id) if assignee is not None else None,
        },
    )
    if agent_taken_off:
        _announce(service_request, actor)
    return service_request
