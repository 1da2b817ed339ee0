"""Sign-in pages: email and password, a one-time link by email, and sign-out."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.forms import EmailForm, SignInForm
from cityhall.accounts.redirects import safe_next_url
from cityhall.accounts.selectors import get_user_for_sign_in_link
from cityhall.accounts.services import (
    request_sign_in_link,
    sign_in_with_link,
)

#: Where a citizen lands after signing in without a `next` address: what they came to
#: follow, rather than the settings form.
AFTER_SIGN_IN = "portal:my_requests"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in with email and password; failures get one neutral message, then a lock."""
    if request.user.is_authenticated:
        return redirect(safe_next_url(request, AFTER_SIGN_IN))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.sign_in(ip_address=client_ip_address(request))
        if user is not None:
            login(request, user)
            return redirect(safe_next_url(request, AFTER_SIGN_IN))
    status = 429 if form.is_locked else 200
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(request, "portal/account/sign_in.html", context, status=status)


@require_http_methods(["GET", "POST"])
def sign_in_link_request(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time sign-in link; the answer is the same for unknown addresses."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_sign_in_link(
            email=form.cleaned_data["email"], ip_address=client_ip_address(request)
        )
        return redirect("portal:sign_in_link_sent")
    return render(request, "portal/account/sign_in_link_request.html", {"form": form})


def sign_in_link_sent(request: HttpRequest) -> HttpResponse:
    """Tell the citizen to look in their inbox."""
    return render(request, "portal/account/sign_in_link_sent.html")


@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """Landing page of an emailed link: a button signs in, so that mail scanners that open
    links do not use it up."""
    if request.method == "GET":
        if get_user_for_sign_in_link(token=token) is None:
            return render(request, "portal/account/link_invalid.html", status=400)
        return render(request, "portal/account/sign_in_link.html")
    try:
        user = sign_in_with_link(token=token, ip_address=client_ip_address(request))
    except InvalidLink:
        return render(request, "portal/account/link_invalid.html", status=400)
    login(request, user)
    return redirect(AFTER_SIGN_IN)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End the session (portal and back office alike) and go back to the home page."""
    logout(request)
    return redirect("portal:home")
