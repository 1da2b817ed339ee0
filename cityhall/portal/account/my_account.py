"""The signed-in citizen's "My account" page: details and password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.forms import AccountDetailsForm, ChangePasswordForm, show_service_error
from cityhall.accounts.models import User
from cityhall.accounts.services import change_password as change_password_service
from cityhall.accounts.services import update_account_details
from cityhall.core.errors import InvalidInput


def _render(
    request: HttpRequest,
    *,
    details_form: AccountDetailsForm | None = None,
    password_form: ChangePasswordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    context = {
        "details_form": details_form
        or AccountDetailsForm(
            initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
            prefix="details",
        ),
        "password_form": password_form or ChangePasswordForm(prefix="password"),
    }
    return render(request, "portal/account/account.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Show the account; a POST saves the name and preferred language."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "GET":
        return _render(request)
    form = AccountDetailsForm(request.POST, prefix="details")
    if form.is_valid():
        try:
            update_account_details(
                actor=user,
                user=user,
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except InvalidInput as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("portal:account")
    return _render(request, details_form=form)


@login_required
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    """Change the password; the session stays signed in."""
    user = request.user
    assert isinstance(user, User)
    form = ChangePasswordForm(request.POST, prefix="password")
    if form.is_valid():
        try:
            change_password_service(
                actor=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except InvalidInput as error:
            show_service_error(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password is changed."))
            return redirect("portal:account")
    return _render(request, password_form=form)
