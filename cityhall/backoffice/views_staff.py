"""Pages for staff accounts and their roles.

City administrators see and manage everyone; department administrators see the staff of their
departments and manage roles there. Only city administrators create accounts and reset
two-factor sign-in.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import GrantStaffRoleForm, StaffUserForm, show_service_error
from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import (
    department_ids_administered_by,
    departments_for_role_grants,
    get_staff_member_for_admin,
    get_staff_role_for_admin,
    is_city_admin,
    staff_members_for_admin,
)
from cityhall.accounts.services import (
    create_staff_user,
    grant_staff_role,
    reset_totp,
    revoke_staff_role,
)
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.core.errors import CityHallError


@staff_member_required(capability=Capability.MANAGE_DEPARTMENT_STAFF)
def staff_list(request: HttpRequest) -> HttpResponse:
    """The staff accounts the administrator may see, with their roles."""
    actor = staff_actor(request)
    staff_members = list(staff_members_for_admin(actor=actor))
    context = {"staff_members": staff_members, "is_city_admin": is_city_admin(actor)}
    return render(request, "backoffice/staff/list.html", context)


@staff_member_required(capability=Capability.MANAGE_STAFF_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    """Create a staff account (or make an existing account staff); it gets an invitation."""
    form = StaffUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = create_staff_user(
                actor=staff_actor(request),
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The staff account is ready. Now give it a role."))
            return redirect("backoffice:staff_detail", public_id=user.public_id)
    return render(request, "backoffice/staff/create.html", {"form": form})


def _grant_form(request: HttpRequest, actor: User) -> GrantStaffRoleForm:
    return GrantStaffRoleForm(
        request.POST or None,
        departments=departments_for_role_grants(actor=actor),
        city_wide=is_city_admin(actor),
    )


@staff_member_required(capability=Capability.MANAGE_DEPARTMENT_STAFF)
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One staff member's roles, with a form to grant another and buttons to revoke."""
    actor = staff_actor(request)
    staff_member = get_staff_member_for_admin(actor=actor, public_id=public_id)
    form = _grant_form(request, actor)
    if request.method == "POST" and form.is_valid():
        try:
            grant_staff_role(
                actor=actor,
                user=staff_member,
                role=form.cleaned_data["role"],
                department=form.cleaned_data["department"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The role is granted."))
            return redirect("backoffice:staff_detail", public_id=public_id)
    city_admin = is_city_admin(actor)
    context = {
        "staff_member": staff_member,
        "roles": staff_member.staff_roles.all(),
        "form": form,
        "is_city_admin": city_admin,
        "managed_department_ids": department_ids_administered_by(actor),
    }
    return render(request, "backoffice/staff/detail.html", context)


@staff_member_required(capability=Capability.MANAGE_DEPARTMENT_STAFF)
@require_POST
def staff_role_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Revoke one role, then go back to its holder's page."""
    actor = staff_actor(request)
    staff_role = get_staff_role_for_admin(actor=actor, public_id=public_id)
    holder = staff_role.user
    try:
        revoke_staff_role(actor=actor, staff_role=staff_role)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role is revoked."))
    return redirect("backoffice:staff_detail", public_id=holder.public_id)


@staff_member_required(capability=Capability.MANAGE_STAFF_ACCOUNTS)
@require_POST
def staff_totp_reset(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Remove a staff member's authenticator (a lost phone); they enrol again at next sign-in."""
    actor = staff_actor(request)
    staff_member = get_staff_member_for_admin(actor=actor, public_id=public_id)
    try:
        reset_totp(actor=actor, user=staff_member)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Two-factor sign-in is reset. They set it up again next time."))
    return redirect("backoffice:staff_detail", public_id=public_id)
