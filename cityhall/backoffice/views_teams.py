"""Pages where department administrators keep their departments' teams (city administrators:
every department's): the list, a new team, and a team's names, members and status."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import departments_for_role_grants
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.backoffice.forms_teams import TeamCreateForm, TeamEditForm
from cityhall.core.errors import CityHallError
from cityhall.servicerequests.selectors import (
    get_team_for_admin,
    team_members_to_choose,
    teams_for_admin,
)
from cityhall.servicerequests.services import save_team


@staff_member_required(capability=Capability.MANAGE_TEAMS)
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    """The teams of the departments the administrator keeps, with their members."""
    teams = teams_for_admin(actor=staff_actor(request))
    return render(request, "backoffice/teams/list.html", {"teams": teams})


@staff_member_required(capability=Capability.MANAGE_TEAMS)
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    """Name a new team in one of the administrator's departments; members come next."""
    actor = staff_actor(request)
    departments = {
        str(department.public_id): department
        for department in departments_for_role_grants(actor=actor).order_by("name_en")
    }
    form = TeamCreateForm(
        request.POST or None,
        departments=[(key, department.name) for key, department in departments.items()],
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = save_team(
                actor=actor,
                department=departments[form.cleaned_data["department"]],
                team=None,
                name_en=form.cleaned_data["name_en"],
                name_fr=form.cleaned_data["name_fr"],
                members=[],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The team is ready. Now choose its members."))
            return redirect("backoffice:team_detail", public_id=team.public_id)
    return render(request, "backoffice/teams/create.html", {"form": form})


@staff_member_required(capability=Capability.MANAGE_TEAMS)
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Change a team's names, members and status."""
    actor = staff_actor(request)
    team = get_team_for_admin(actor=actor, public_id=public_id)
    staff = {
        str(user.public_id): user
        for user in team_members_to_choose(department_id=team.department_id)
    }
    form = TeamEditForm(
        request.POST or None,
        initial={
            "name_en": team.name_en,
            "name_fr": team.name_fr,
            "is_active": team.is_active,
            "members": [str(member.public_id) for member in team.members.all()],
        },
        staff=[(key, user.full_name or user.email) for key, user in staff.items()],
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_team(
                actor=actor,
                department=team.department,
                team=team,
                name_en=form.cleaned_data["name_en"],
                name_fr=form.cleaned_data["name_fr"],
                members=[staff[key] for key in form.cleaned_data["members"]],
                is_active=form.cleaned_data["is_active"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The team is saved."))
            return redirect("backoffice:teams")
    return render(request, "backoffice/teams/detail.html", {"team": team, "form": form})
