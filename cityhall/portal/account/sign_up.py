"""Sign-up and email confirmation pages.

The password chosen at sign-up waits in this browser's session (PENDING_SIGN_UP_KEY) and
becomes the account's only if the confirmation link is followed here; see
accounts.services.citizens for why.
"""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.forms import SignUpForm, show_service_error
from cityhall.accounts.selectors import get_user_for_email_verification
from cityhall.accounts.services import PendingPassword, sign_up_citizen, verify_email_address
from cityhall.core.errors import InvalidInput
from cityhall.portal.account.sign_in import AFTER_SIGN_IN

PENDING_SIGN_UP_KEY = "accounts_pending_sign_up"


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account. The answer is the same whether or not the address is known."""
    if request.user.is_authenticated:
        return redirect(AFTER_SIGN_IN)
    form = SignUpForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            pending = sign_up_citizen(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
                ip_address=client_ip_address(request),
            )
        except InvalidInput as error:
            show_service_error(form, error)
        else:
            request.session[PENDING_SIGN_UP_KEY] = {
                "email": pending.email,
                "password_hash": pending.password_hash,
            }
            return redirect("portal:sign_up_done")
    return render(request, "portal/account/sign_up.html", {"form": form})


def sign_up_done(request: HttpRequest) -> HttpResponse:
    """Ask the new citizen to open the confirmation email."""
    return render(request, "portal/account/sign_up_done.html")


@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Landing page of the confirmation link: a button confirms the address and signs in.

    Opening the link (GET) changes nothing, so that mail scanners that follow links confirm
    nothing and sign no one in.
    """
    if request.method == "GET":
        if get_user_for_email_verification(token=token) is None:
            return render(request, "portal/account/link_invalid.html", status=400)
        return render(request, "portal/account/verify_email.html")
    try:
        confirmation = verify_email_address(
            token=token,
            pending_password=_pending_password(request),
            ip_address=client_ip_address(request),
        )
    except InvalidLink:
        return render(request, "portal/account/link_invalid.html", status=400)
    if not confirmation.confirmed_now:
        return render(request, "portal/account/email_already_verified.html")
    request.session.pop(PENDING_SIGN_UP_KEY, None)
    login(request, confirmation.user)
    context = {"password_kept": confirmation.user.has_usable_password()}
    return render(request, "portal/account/email_verified.html", context)


def _pending_password(request: HttpRequest) -> PendingPassword | None:
    pending = request.session.get(PENDING_SIGN_UP_KEY)
    if not isinstance(pending, dict):
        return None
    return PendingPassword(
        email=str(pending.get("email", "")), password_hash=str(pending.get("password_hash", ""))
    )
