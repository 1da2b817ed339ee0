"""Booking an appointment at a counter, and seeing, moving or cancelling one.

The date and time picker works without JavaScript: the days with free times are links, the
times of the chosen day are radio buttons in a fieldset whose legend names the day. Someone
without an account gives an email and confirms through the emailed link; the emailed
management link (or, signed in, "My appointments") leads to the same reschedule and cancel page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.accounts.models import User
from cityhall.appointments import selectors
from cityhall.appointments.calendar import booking_calendar
from cityhall.appointments.links import booking_to_confirm, booking_to_manage
from cityhall.appointments.models import Booking, CounterService
from cityhall.appointments.services import (
    book_appointment,
    cancel_booking,
    confirm_booking,
    reschedule_booking,
)
from cityhall.appointments.slots import city_zone
from cityhall.core.errors import CityHallError, NotFound
from cityhall.core.ratelimit import address_identity, count_hit
from cityhall.places.models import Facility

DAYS_SHOWN = 21


class TimeForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Time"), error_messages={"required": _("Choose a time.")}
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        help_text=_("We send a link to this address: the appointment is held until you open it."),
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _picker(request: HttpRequest, service: CounterService, facility: Facility) -> dict[str, Any]:
    """The days with free times from today, and the times of the chosen day."""
    today = timezone.now().astimezone(city_zone()).date()
    days = selectors.slots_between(
        service=service, facility=facility, first=today, last=today + dt.timedelta(days=DAYS_SHOWN)
    )
    chosen = None
    try:
        chosen = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        chosen = None
    if chosen not in days:
        chosen = next(iter(days), None)
    return {"days": list(days), "day": chosen, "times": days.get(chosen, []) if chosen else []}


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    """Choose a service, a place, a day and a time; then book (with an email if signed out)."""
    services = list(selectors.bookable_services())
    service = next((s for s in services if s.code == request.GET.get("service")), None)
    context: dict[str, Any] = {"services": services, "service": service}
    if service is None:
        return render(request, "portal/appointments/book.html", context)
    facilities = list(selectors.facilities_offering(service))
    facility = next(
        (f for f in facilities if str(f.public_id) == request.GET.get("facility")), None
    )
    context.update(facilities=facilities, facility=facility)
    if facility is None:
        return render(request, "portal/appointments/book.html", context)
    form = TimeForm(request.POST or None, initial={"submission_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        citizen = _signed_in(request)
        if citizen is None and not form.cleaned_data["contact_email"]:
            form.add_error("contact_email", _("Enter your email address."))
        else:
            try:
                if citizen is None:
                    # Each booking without an account holds a time: limit them per address.
                    count_hit(
                        bucket="appointments.guest_bookings", identity=address_identity(request)
                    )
                booking = book_appointment(
                    service=service,
                    facility=facility,
                    starts_at=form.cleaned_data["starts_at"],
                    citizen=citizen,
                    contact_email=form.cleaned_data["contact_email"] or "",
                    language=get_language() or "en",
                    submission_key=form.cleaned_data["submission_key"],
                )
            except CityHallError as error:
                form.add_error("starts_at", error.message)
                context["next_slot_at"] = getattr(error, "next_slot_at", None)
            else:
                request.session["appointment_booked"] = str(booking.public_id)
                return redirect("portal:appointment_booked")
    context.update(
        _picker(request, service, facility),
        form=form,
        service_query=f"service={service.code}&facility={facility.public_id}",
    )
    return render(request, "portal/appointments/book.html", context)


@require_GET
def booked(request: HttpRequest) -> HttpResponse:
    """What was just booked (from this browser's session only)."""
    public_id = request.session.get("appointment_booked")
    booking = (
        Booking.objects.select_related("service", "facility").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if booking is None:
        raise NotFound
    return render(request, "portal/appointments/booked.html", {"booking": booking})


@login_required
@require_GET
def my_appointments(request: HttpRequest) -> HttpResponse:
    """The signed-in citizen's upcoming appointments, waiting lists and calendar feed address."""
    citizen = _signed_in(request)
    assert citizen is not None  # login_required
    token = selectors.calendar_feed_token_for(citizen)
    feed_url = request.build_absolute_uri(reverse("portal:appointment_feed", args=[token]))
    return render(
        request,
        "portal/appointments/mine.html",
        {
            "bookings": selectors.bookings_for_citizen(citizen),
            "waiting_entries": selectors.waiting_entries_for_citizen(citizen),
            "feed_url": feed_url,
        },
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a booking made by email (a button, so that a link preview confirms nothing)."""
    try:
        booking = booking_to_confirm(token)
    except CityHallError as error:
        return render(request, "portal/appointments/link_error.html", {"error": error}, status=400)
    if request.method == "POST":
        try:
            booking = confirm_booking(booking=booking)
        except CityHallError as error:
            return render(
                request, "portal/appointments/link_error.html", {"error": error}, status=409
            )
        request.session["appointment_booked"] = str(booking.public_id)
        return redirect("portal:appointment_booked")
    return render(request, "portal/appointments/confirm.html", {"booking": booking})


def _manage(request: HttpRequest, booking: Booking, actor: User | None) -> HttpResponse:
    """Reschedule (choose another day and time) or cancel `booking`."""
    error_message = ""
    form = TimeForm(request.POST or None)
    if request.method == "POST":
        try:
            if "cancel" in request.POST:
                cancel_booking(booking=booking, actor=actor)
                return render(request, "portal/appointments/cancelled.html", {"booking": booking})
            if form.is_valid():
                booking = reschedule_booking(
                    booking=booking, starts_at=form.cleaned_data["starts_at"], actor=actor
                )
                request.session["appointment_booked"] = str(booking.public_id)
                return redirect("portal:appointment_booked")
        except CityHallError as error:
            error_message = error.message
            form.add_error(None, error.message)
    context = {"booking": booking, "form": form, "error_message": error_message, "manage": True}
    if booking.is_active and booking.starts_at > timezone.now():
        context.update(_picker(request, booking.service, booking.facility))
    return render(request, "portal/appointments/manage.html", context)


@require_http_methods(["GET", "POST"])
def manage_by_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        booking = booking_to_manage(token)
    except CityHallError as error:
        return render(request, "portal/appointments/link_error.html", {"error": error}, status=400)
    return _manage(request, booking, None)


@login_required
@require_http_methods(["GET", "POST"])
def manage_mine(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    citizen = _signed_in(request)
    assert citizen is not None  # login_required
    booking = selectors.get_booking_for_citizen(public_id=public_id, citizen=citizen)
    return _manage(request, booking, citizen)


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's appointments as an iCalendar feed, for calendar applications."""
    bookings = selectors.bookings_in_feed(token)
    if bookings is None:
        raise NotFound
    response = HttpResponse(
        booking_calendar(bookings, name=str(_("City appointments"))),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response
