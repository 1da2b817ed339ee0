"""Changing a request's status, handing it over (a team, another department, a partner), moving
its due date, telling the citizen of progress without a status change, and splitting a merged
duplicate back out.

Each view calls one servicerequests service; a refused change is shown beside its form on the
request's page and leaves the request as it was.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.permissions import Capability
from cityhall.backoffice.access import staff_member_required
from cityhall.backoffice.forms_requests import (
    DueDateForm,
    PartnerForm,
    PublicUpdateForm,
    RerouteForm,
    StatusChangeForm,
    TeamForm,
)
from cityhall.backoffice.views_requests.common import actor_of, load_for_staff, section_url
from cityhall.backoffice.views_requests.detail import (
    allowed_statuses,
    department_choices,
    handle_form,
    partner_choices,
    team_choices,
)
from cityhall.core.errors import CityHallError
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import (
    departments_to_hand_over_to,
    partners_to_hand_over_to,
    teams_to_hand_over_to,
)
from cityhall.servicerequests.services import (
    assign_partner,
    assign_team,
    change_service_request_status,
    move_due_date,
    post_public_update,
    reroute_service_request,
    split_duplicate,
)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_change_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Move the request to another status, with a public and an internal note."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        change_service_request_status(
            service_request=loaded,
            actor=actor,
            to_status=data["to_status"],
            public_note=data["public_note"],
            internal_note=data["internal_note"],
        )
        return _("The request is now “%(status)s”.") % {"status": loaded.get_status_display()}

    form = StatusChangeForm(request.POST, allowed=allowed_statuses(service_request))
    return handle_form(request, service_request, form_name="status_form", form=form, change=change)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_reroute(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Hand the request to another department's team, with a reason."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        department = departments_to_hand_over_to(service_request=loaded).get(
            public_id=data["department"]
        )
        reroute_service_request(
            service_request=loaded, actor=actor, department=department, reason=data["reason"]
        )
        return _("The request is now with %(department)s.") % {"department": department.name}

    form = RerouteForm(request.POST, departments=department_choices(service_request))
    # Back to the queue: the request may now belong to a team the actor cannot see.
    return handle_form(
        request, service_request, form_name="reroute_form", form=form, change=change, then="queue"
    )


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_assign_partner(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Hand the request to a partner organisation, or take it back."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        chosen = data["partner"]
        partner = partners_to_hand_over_to().get(public_id=chosen) if chosen else None
        assign_partner(service_request=loaded, actor=actor, partner=partner)
        if partner is None:
            return _("No partner works on the request any more.")
        return _("%(partner)s now sees the request in its queue.") % {"partner": partner.name}

    form = PartnerForm(request.POST, partners=partner_choices())
    return handle_form(request, service_request, form_name="partner_form", form=form, change=change)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_assign_team(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Give the request to a team of its department, or take it back from its team."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        chosen = data["team"]
        teams = teams_to_hand_over_to(department_id=loaded.department_id)
        team = teams.get(public_id=chosen) if chosen else None
        assign_team(service_request=loaded, actor=actor, team=team)
        if team is None:
            return _("No team holds the request any more.")
        return _("The team %(team)s now holds the request.") % {"team": team.name}

    form = TeamForm(request.POST, teams=team_choices(service_request))
    return handle_form(request, service_request, form_name="team_form", form=form, change=change)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_move_due_date(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Move the due date; the citizen sees the new date and the reason."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        move_due_date(
            service_request=loaded, actor=actor, due_at=data["due_at"], reason=data["reason"]
        )
        return _("The due date is moved; the citizen sees the new date and why.")

    form = DueDateForm(request.POST)
    return handle_form(request, service_request, form_name="due_form", form=form, change=change)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_public_update(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Tell the reporter and followers of progress without changing the status."""
    actor = actor_of(request)
    service_request = load_for_staff(public_id, actor)

    def change(loaded: ServiceRequest, data: dict[str, Any]) -> str:
        post_public_update(service_request=loaded, actor=actor, public_note=data["public_note"])
        return _("The update is on the citizen's timeline.")

    form = PublicUpdateForm(request.POST)
    return handle_form(request, service_request, form_name="update_form", form=form, change=change)


@staff_member_required(capability=Capability.HANDLE_REQUESTS)
@require_POST
def request_split(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Undo a merge: the request is open again, with the people who followed it."""
    actor = actor_of(request)
    duplicate = load_for_staff(public_id, actor)
    try:
        split_duplicate(duplicate=duplicate, actor=actor)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request is separate again and “%(status)s”.")
            % {"status": duplicate.get_status_display()},
            extra_tags="change-status",
        )
    return redirect(section_url(duplicate, "change-status"))
