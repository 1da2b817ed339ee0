"""Sign-up and email confirmation pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.forms import SignUpForm, show_service_error
from cityhall.accounts.services import sign_up_citizen, verify_email_address
from cityhall.core.errors import InvalidInput


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an account. The answer is the same whether or not the address is known."""
    if request.user.is_authenticated:
        return redirect("portal:account")
    form = SignUpForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sign_up_citizen(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                preferred_language=form.cleaned_data["preferred_language"],
                ip_address=client_ip_address(request),
            )
        except InvalidInput as error:
            show_service_error(form, error)
        else:
            return redirect("portal:sign_up_done")
    return render(request, "portal/account/sign_up.html", {"form": form})


def sign_up_done(request: HttpRequest) -> HttpResponse:
    """Ask the new citizen to open the confirmation email."""
    return render(request, "portal/account/sign_up_done.html")


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm the address from the emailed link, then invite the citizen to sign in."""
    try:
        verify_email_address(token=token)
    except InvalidLink:
        return render(request, "portal/account/link_invalid.html", status=400)
    return render(request, "portal/account/email_verified.html")
