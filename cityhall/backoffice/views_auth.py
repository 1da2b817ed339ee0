"""Staff sign-in: email and password, then a TOTP code (or first-time TOTP enrolment).

Between the two steps the session holds only a "pending" marker with the user's public id
and the time; the person is signed in (and the session marked verified) after the code.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.errors import (
    InvalidTotpCode,
    SignInLocked,
)
from cityhall.accounts.forms import SignInForm, TotpCodeForm, show_service_error
from cityhall.accounts.models import User
from cityhall.accounts.redirects import safe_next_url
from cityhall.accounts.selectors import get_active_user, roles_for_staff
from cityhall.accounts.services import (
    confirm_totp_enrolment,
    start_totp_enrolment,
    verify_totp_code,
)
from cityhall.accounts.totp import provisioning_uri, qr_code_svg
from cityhall.backoffice.access import is_verified_staff_session, mark_session_verified

PENDING_SESSION_KEY = "backoffice_pending_sign_in"
#: The password step must be followed by the code within this many seconds.
PENDING_MAX_AGE = 10 * 60


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: email and password (counted and locked like the portal's sign-in)."""
    if is_verified_staff_session(request):
        return redirect(safe_next_url(request, "backoffice:dashboard"))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.sign_in(ip_address=client_ip_address(request))
        if user is not None:
            if roles_for_staff(user):
                return _start_second_step(request, user)
            # The password was right, so saying this reveals nothing to a stranger.
            form.add_error(None, _("This account has no access to the back office."))
    context = {"form": form, "next": request.GET.get("next", "")}
    return render(
        request, "backoffice/sign_in.html", context, status=429 if form.is_locked else 200
    )


def _start_second_step(request: HttpRequest, user: User) -> HttpResponse:
    request.session[PENDING_SESSION_KEY] = {
        "user": str(user.public_id),
        "at": time.time(),
        "next": safe_next_url(request, "backoffice:dashboard"),
    }
    if user.totp_confirmed_at is None:
        return redirect("backoffice:two_factor_setup")
    return redirect("backoffice:two_factor")


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_MAX_AGE:
        return None
    return get_active_user(public_id=str(pending.get("user", "")))


def _finish_sign_in(request: HttpRequest, user: User) -> HttpResponse:
    pending = request.session.pop(PENDING_SESSION_KEY, {})
    login(request, user)
    mark_session_verified(request, user)
    return redirect(pending.get("next") or "backoffice:dashboard")


def _restart(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING_SESSION_KEY, None)
    return redirect("backoffice:sign_in")


def _check_code(
    request: HttpRequest, user: User, form: TotpCodeForm, check: Callable[..., object]
) -> int:
    """Run `check` (verify or confirm) on the form's code: 0 when it passed, else the status
    to answer with and the reason on the form. A lock-out also ends the pending sign-in."""
    try:
        check(user=user, code=form.cleaned_data["code"], ip_address=client_ip_address(request))
    except InvalidTotpCode as error:
        form.add_error("code", error.message)
        return 200
    except SignInLocked as error:
        request.session.pop(PENDING_SESSION_KEY, None)
        show_service_error(form, error)
        return 429
    return 0


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the authenticator app; each code works once."""
    user = _pending_user(request)
    if user is None or user.totp_confirmed_at is None:
        return _restart(request)
    form = TotpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _check_code(request, user, form, verify_totp_code)
        if status == 0:
            return _finish_sign_in(request, user)
    return render(request, "backoffice/two_factor.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Step 2 the first time: scan a QR code (or type the key), then confirm with a code."""
    user = _pending_user(request)
    if user is None or user.totp_confirmed_at is not None:
        return _restart(request)
    secret = start_totp_enrolment(user=user)
    user.totp_secret = secret
    form = TotpCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = _check_code(request, user, form, confirm_totp_enrolment)
        if status == 0:
            return _finish_sign_in(request, user)
    context = {
        "form": form,
        # segno draws the SVG from the secret alone; it holds no user input to escape.
        "qr_code": mark_safe(qr_code_svg(provisioning_uri(user))),  # noqa: S308  # nosec B308 B703
        "secret_groups": [secret[index : index + 4] for index in range(0, len(secret), 4)],
    }
    return render(request, "backoffice/two_factor_setup.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End the session and return to the staff sign-in page."""
    logout(request)
    return redirect("backoffice:sign_in")
