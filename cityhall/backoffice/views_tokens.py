"""A staff member's own API tokens: list, create (shown once) and revoke.

This page is the only place a staff token is made: the back office opens only in a session
that passed two-factor sign-in, so a token made here acts as staff, for a bounded number of
days (STAFF_ACCESS_TOKEN_MAX_DAYS). Tokens made anywhere else act as an ordinary person.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import StaffAccessTokenForm, show_service_error
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import access_tokens_for_user, get_access_token_for_user
from cityhall.accounts.services import create_personal_access_token, revoke_personal_access_token
from cityhall.backoffice.access import is_verified_staff_session, staff_actor, staff_member_required
from cityhall.core.errors import CityHallError


@staff_member_required(capability=Capability.OPEN_BACK_OFFICE)
@require_http_methods(["GET", "POST"])
def my_tokens(request: HttpRequest) -> HttpResponse:
    """The staff member's tokens, and a form that makes a staff token shown once."""
    actor = staff_actor(request)
    form = StaffAccessTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = create_personal_access_token(
                actor=actor,
                owner=actor,
                name=form.cleaned_data["name"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
                from_verified_staff_session=is_verified_staff_session(request),
            )
        except CityHallError as error:
            show_service_error(form, error)
        else:
            response = render(request, "backoffice/tokens/created.html", {"issued": issued})
            response["Cache-Control"] = "no-store"
            return response
    context = {"access_tokens": access_tokens_for_user(user=actor), "form": form}
    return render(request, "backoffice/tokens/list.html", context)


@staff_member_required(capability=Capability.OPEN_BACK_OFFICE)
@require_POST
def my_token_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Revoke one of the staff member's tokens at once (another's is a 404)."""
    actor = staff_actor(request)
    access_token = get_access_token_for_user(user=actor, public_id=public_id)
    revoke_personal_access_token(actor=actor, access_token=access_token)
    messages.success(request, _("The token is revoked. Calls made with it are refused."))
    return redirect("backoffice:my_tokens")
