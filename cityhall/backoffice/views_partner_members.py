"""City-admin actions on the people who act for a partner organisation."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.forms import PartnerMemberForm, show_service_error
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import (
    get_partner_membership_for_admin,
    get_user_by_email_for_admin,
)
from cityhall.accounts.services import add_partner_member, remove_partner_member
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.backoffice.views_partners import get_organisation_or_404, render_partner_detail
from cityhall.core.errors import CityHallError, NotFound


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
@require_POST
def partner_member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Let an existing account act for the organisation."""
    actor = staff_actor(request)
    organisation = get_organisation_or_404(request, public_id)
    form = PartnerMemberForm(request.POST, prefix="member")
    if form.is_valid():
        try:
            user = get_user_by_email_for_admin(actor=actor, email=form.cleaned_data["email"])
            add_partner_member(
                actor=actor,
                organisation=organisation,
                user=user,
                is_manager=form.cleaned_data["is_manager"],
            )
        except NotFound:
            form.add_error("email", _("No account uses this address."))
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The person is now a member."))
            return redirect("backoffice:partner_detail", public_id=public_id)
    return render_partner_detail(request, organisation, member_form=form)


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
@require_POST
def partner_member_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Stop a person acting for the organisation."""
    actor = staff_actor(request)
    membership = get_partner_membership_for_admin(actor=actor, public_id=public_id)
    organisation = membership.organisation
    remove_partner_member(actor=actor, membership=membership)
    messages.success(request, _("The person is no longer a member."))
    return redirect("backoffice:partner_detail", public_id=organisation.public_id)
