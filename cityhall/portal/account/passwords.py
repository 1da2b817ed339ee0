"""Forgotten-password pages: ask for a reset link, then choose a new password."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cityhall.accounts.client_address import client_ip_address
from cityhall.accounts.errors import InvalidLink
from cityhall.accounts.forms import EmailForm, NewPasswordForm, show_service_error
from cityhall.accounts.selectors import get_user_for_password_reset
from cityhall.accounts.services import request_password_reset, reset_password
from cityhall.core.errors import InvalidInput


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link; the answer is the same for unknown addresses."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_password_reset(
            email=form.cleaned_data["email"], ip_address=client_ip_address(request)
        )
        return redirect("portal:password_reset_sent")
    return render(request, "portal/account/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    """Tell the citizen to look in their inbox."""
    return render(request, "portal/account/password_reset_sent.html")


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, public_id: UUID, token: str) -> HttpResponse:
    """Choose a new password from an emailed link."""
    if get_user_for_password_reset(public_id=public_id, token=token) is None:
        return render(request, "portal/account/link_invalid.html", status=400)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset_password(
                public_id=public_id,
                token=token,
                new_password=form.cleaned_data["new_password"],
                ip_address=client_ip_address(request),
            )
        except InvalidLink:
            return render(request, "portal/account/link_invalid.html", status=400)
        except InvalidInput as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Your new password is set. Sign in with it."))
            return redirect("portal:sign_in")
    return render(request, "portal/account/password_reset_confirm.html", {"form": form})
