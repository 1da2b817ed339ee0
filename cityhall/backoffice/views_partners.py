"""City-admin pages for partner organisations and their API keys."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import (
    ApiKeyForm,
    PartnerMemberForm,
    PartnerOrganisationForm,
    show_service_error,
)
from cityhall.accounts.models import PartnerOrganisation
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import (
    api_keys_for_organisation,
    get_api_key_for_admin,
    get_partner_organisation_for_admin,
    partner_memberships_for_admin,
    partner_organisations_for_admin,
)
from cityhall.accounts.services import create_api_key, create_partner_organisation, revoke_api_key
from cityhall.backoffice.access import staff_actor, staff_member_required
from cityhall.core.errors import CityHallError


def get_organisation_or_404(request: HttpRequest, public_id: UUID) -> PartnerOrganisation:
    return get_partner_organisation_for_admin(actor=staff_actor(request), public_id=public_id)


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
def partner_list(request: HttpRequest) -> HttpResponse:
    """Every partner organisation."""
    organisations = list(partner_organisations_for_admin(actor=staff_actor(request)))
    return render(request, "backoffice/partners/list.html", {"organisations": organisations})


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    """Register a partner organisation."""
    form = PartnerOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create_partner_organisation(
                actor=staff_actor(request), **form.cleaned_data
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("The organisation is registered."))
            return redirect("backoffice:partner_detail", public_id=organisation.public_id)
    return render(request, "backoffice/partners/create.html", {"form": form})


def render_partner_detail(
    request: HttpRequest,
    organisation: PartnerOrganisation,
    *,
    key_form: ApiKeyForm | None = None,
    member_form: PartnerMemberForm | None = None,
) -> HttpResponse:
    """The organisation's page; a form that failed is passed in to show its errors."""
    actor = staff_actor(request)
    context = {
        "organisation": organisation,
        "api_keys": api_keys_for_organisation(actor=actor, organisation=organisation),
        "memberships": partner_memberships_for_admin(actor=actor, organisation=organisation),
        "form": key_form or ApiKeyForm(),
        "member_form": member_form or PartnerMemberForm(prefix="member"),
    }
    return render(request, "backoffice/partners/detail.html", context)


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
def partner_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An organisation with its keys and members, and forms to add them."""
    return render_partner_detail(request, get_organisation_or_404(request, public_id))


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
@require_POST
def api_key_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Create a key and show it, once: the page is never cached and cannot be shown again."""
    organisation = get_organisation_or_404(request, public_id)
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            issued = create_api_key(
                actor=staff_actor(request),
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            context = {"organisation": organisation, "issued": issued}
            response = render(request, "backoffice/partners/api_key_created.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render_partner_detail(request, organisation, key_form=form)


@staff_member_required(capability=Capability.MANAGE_PARTNERS)
@require_POST
def api_key_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Revoke a key at once, then go back to its organisation."""
    actor = staff_actor(request)
    api_key = get_api_key_for_admin(actor=actor, public_id=public_id)
    revoke_api_key(actor=actor, api_key=api_key)
    messages.success(request, _("The key is revoked. Calls made with it are refused."))
    return redirect("backoffice:partner_detail", public_id=api_key.organisation.public_id)
