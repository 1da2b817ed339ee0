"""The appointments' waiting list in the portal: join it, confirm a guest's email, answer an
offered time, and leave it.

Joining starts from the booking page (a service and a place chosen). A signed-in person sees
their entries and offers under "My appointments"; someone without an account uses the links
of the emails (waiting_links.py). Answering an offer is a button on its page, so that a link
preview accepts nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cityhall.accounts.models import User
from cityhall.appointments import selectors
from cityhall.appointments.models import WaitingListEntry
from cityhall.appointments.slots import city_zone
from cityhall.appointments.waiting_links import entry_of_offer, entry_to_confirm, entry_to_manage
from cityhall.appointments.waiting_list import (
    accept_offer,
    confirm_waiting_entry,
    decline_offer,
    join_waiting_list,
    leave_waiting_list,
)
from cityhall.core.errors import CityHallError, NotFound
from cityhall.core.ratelimit import address_identity, count_hit

#: How far ahead the join form proposes to wait, by default.
DEFAULT_DAYS = 14
SESSION_KEY = "appointments_waiting_joined"


class JoinForm(forms.Form):
    first_day = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_day = forms.DateField(
        label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    earliest_time = forms.TimeField(
        label=_("Not before (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    latest_time = forms.TimeField(
        label=_("Ending by (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        help_text=_("We send a link to confirm it; freed times are offered to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:
            del self.fields["contact_email"]


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Ask to be offered a freed time of a service at a place, within some days and times."""
    service = selectors.bookable_services().filter(code=request.GET.get("service", "")).first()
    facility = None
    if service is not None:
        facility = (
            selectors.facilities_offering(service)
            .filter(public_id=_uuid(request.GET.get("facility", "")))
            .first()
        )
    if service is None or facility is None:
        raise NotFound
    citizen = _signed_in(request)
    today = timezone.now().astimezone(city_zone()).date()
    form = JoinForm(
        request.POST or None,
        signed_in=citizen is not None,
        initial={"first_day": today, "last_day": today + dt.timedelta(days=DEFAULT_DAYS)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if citizen is None and not data["contact_email"]:
            form.add_error("contact_email", _("Enter your email address."))
        else:
            try:
                if citizen is None:
                    count_hit(
                        bucket="appointments.guest_bookings", identity=address_identity(request)
                    )
                entry = join_waiting_list(
                    service=service,
                    facility=facility,
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    earliest_time=data["earliest_time"],
                    latest_time=data["latest_time"],
                    citizen=citizen,
                    contact_email=data.get("contact_email") or "",
                    language=get_language() or "en",
                )
            except CityHallError as error:
                form.add_error(None, error.message)
            else:
                request.session[SESSION_KEY] = str(entry.public_id)
                return redirect("portal:waiting_list_joined")
    context = {
        "service": service,
        "facility": facility,
        "form": form,
        "waiting_offer_minutes": settings.APPOINTMENTS_WAITING_OFFER_MINUTES,
    }
    return render(request, "portal/appointments/waiting_join.html", context)


def _uuid(text: str) -> str:
    """`text` if it is a UUID, else the nil UUID (which names nothing)."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return str(uuid.UUID(int=0))


@require_GET
def joined(request: HttpRequest) -> HttpResponse:
    """The entry just made (from this browser's session only)."""
    public_id = _uuid(request.session.get(SESSION_KEY, ""))
    entry = (
        WaitingListEntry.objects.select_related("service", "facility")
        .filter(public_id=public_id)
        .first()
    )
    if entry is None:
        raise NotFound
    return render(request, "portal/appointments/waiting_joined.html", {"entry": entry})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a guest's email (a button, so that a link preview confirms nothing)."""
    try:
        entry = entry_to_confirm(token)
    except CityHallError as error:
        return _link_error(request, error)
    if request.method == "POST":
        entry = confirm_waiting_entry(entry=entry)
        request.session[SESSION_KEY] = str(entry.public_id)
        return redirect("portal:waiting_list_joined")
    return render(request, "portal/appointments/waiting_confirm.html", {"entry": entry})


@require_http_methods(["GET", "POST"])
def entry_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A guest's entry from the emailed link: see it, and leave the list."""
    try:
        entry = entry_to_manage(token)
    except CityHallError as error:
        return _link_error(request, error)
    if request.method == "POST":
        entry = leave_waiting_list(entry=entry, actor=None)
    context = {"entry": entry, "can_leave": True}
    return render(request, "portal/appointments/waiting_entry.html", context)


@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest, token: str) -> HttpResponse:
    """The time offered from the waiting list, with Accept and Decline."""
    try:
        entry = entry_of_offer(token)
    except CityHallError as error:
        return _link_error(request, error)
    if request.method == "POST":
        actor = _signed_in(request)
        try:
            if "accept" in request.POST:
                booking = accept_offer(entry=entry, actor=actor)
                request.session["appointment_booked"] = str(booking.public_id)
                return redirect("portal:appointment_booked")
            entry = decline_offer(entry=entry, actor=actor)
        except CityHallError as error:
            return _link_error(request, error, status=409)
        context = {"entry": entry, "declined": True}
        return render(request, "portal/appointments/waiting_entry.html", context)
    return render(request, "portal/appointments/waiting_offer.html", {"entry": entry})


@login_required
@require_POST
def answer_mine(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Accept or decline an offer, or leave the list, from "My appointments"."""
    citizen = _signed_in(request)
    assert citizen is not None  # login_required
    entry = selectors.get_waiting_entry_for_citizen(public_id=public_id, citizen=citizen)
    try:
        if "accept" in request.POST:
            accept_offer(entry=entry, actor=citizen)
            messages.success(request, _("The offered time is booked."))
        elif "decline" in request.POST:
            decline_offer(entry=entry, actor=citizen)
            messages.success(request, _("You declined the offered time; you are still waiting."))
        else:
            leave_waiting_list(entry=entry, actor=citizen)
            messages.success(request, _("You left the waiting list."))
    except CityHallError as error:
        messages.error(request, error.message)
    return redirect("portal:my_appointments")


def _link_error(request: HttpRequest, error: CityHallError, *, status: int = 400) -> HttpResponse:
    return render(request, "portal/appointments/link_error.html", {"error": error}, status=status)
