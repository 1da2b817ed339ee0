"""The signed-in citizen's data: what the city holds ("my data"), a copy, closing the account.

The pages read the privacy domain's register, so a kind of data a domain declares shows here
without any change to the portal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.forms import show_service_error
from cityhall.accounts.models import User
from cityhall.core.errors import CityHallError, InvalidInput
from cityhall.privacy.forms import CloseAccountForm
from cityhall.privacy.links import make_export_token
from cityhall.privacy.selectors import data_held_about, recent_exports_of
from cityhall.privacy.services import closures, exports

if TYPE_CHECKING:
    from cityhall.privacy.models import DataExport


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required
    return user


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the city holds about the citizen, by kind, with the copies they asked for."""
    user = _signed_in(request)
    now = timezone.now()
    context = {
        "held": data_held_about(user),
        "exports": [
            (export, _download_link(export) if export.is_downloadable(now) else "")
            for export in recent_exports_of(user)
        ],
        "export_days": settings.PRIVACY_EXPORT_DAYS,
        "closure": closures.open_closure_of(user),
    }
    return render(request, "portal/account/my_data.html", context)


def _download_link(export: DataExport) -> str:
    token = make_export_token(str(export.public_id))
    return reverse("portal:download_data_export", kwargs={"token": token})


@login_required
@require_POST
def request_data_export(request: HttpRequest) -> HttpResponse:
    """Ask for a copy of one's data; it is emailed as a link when ready."""
    try:
        exports.request_data_export(actor=_signed_in(request))
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("We are preparing a copy of your data. We will email you a link when it is ready."),
        )
    return redirect("portal:my_data")


@login_required
@require_GET
def download_data_export(request: HttpRequest, token: str) -> FileResponse:
    """The ZIP of a ready export: only its owner, signed in, with an unexpired link."""
    export = exports.get_export_for_download(actor=_signed_in(request), token=token)
    stamp = export.ready_at.strftime("%Y-%m-%d") if export.ready_at else "export"
    response = FileResponse(
        default_storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=f"my-data-{stamp}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def close_account(request: HttpRequest) -> HttpResponse:
    """Ask to close the account: the password (or a fresh sign-in) confirms it is the owner."""
    user = _signed_in(request)
    has_password = user.has_usable_password()
    form = CloseAccountForm(request.POST or None) if has_password else None
    status = 200
    if request.method == "POST":
        if form is None or form.is_valid():
            password = form.cleaned_data["password"] if form is not None else None
            try:
                closures.request_account_closure(actor=user, password=password)
            except InvalidInput as error:
                if form is None:
                    messages.error(request, error.message)
                    return redirect("portal:close_account")
                show_service_error(form, error)
            except CityHallError as error:
                messages.error(request, error.message)
                return redirect("portal:my_data")
            else:
                return render(request, "portal/account/close_account_sent.html")
        status = 400
    context = {
        "form": form,
        "may_close": closures.may_close_own_account(user),
        "needs_fresh_sign_in": closures.needs_fresh_sign_in(user),
        "closure": closures.open_closure_of(user),
        "grace_days": settings.PRIVACY_CLOSURE_GRACE_DAYS,
    }
    return render(request, "portal/account/close_account.html", context, status=status)


@require_http_methods(["GET", "POST"])
def confirm_account_closure(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link shows a button; pressing it schedules the closure after the grace
    period. Only a POST confirms, so that a mail scanner opening the link closes nothing."""
    if request.method == "GET":
        context = {"token": token, "grace_days": settings.PRIVACY_CLOSURE_GRACE_DAYS}
        return render(request, "portal/account/close_account_confirm.html", context)
    closure = closures.confirm_account_closure(token=token)
    return render(request, "portal/account/close_account_confirmed.html", {"closure": closure})


@login_required
@require_POST
def cancel_account_closure(request: HttpRequest) -> HttpResponse:
    """Keep the account: cancel a closure waiting for confirmation or its grace period."""
    try:
        closures.cancel_account_closure(actor=_signed_in(request))
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your account stays open. Nothing will be erased."))
    return redirect("portal:my_data")
