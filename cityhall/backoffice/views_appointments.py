"""Counter staff's view of bookings: the facilities with counters, and each one's coming days;
supervisors also close a facility on given days (a closure) and open it again.

Only what the counter needs to plan the day is shown (time, counter, service, status and the
booking's short reference); the person's details come with the check-in, not in this list.
"""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import groupby

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.accounts.selectors import has_capability
from cityhall.appointments.models import Closure
from cityhall.appointments.selectors import (
    bookings_for_facility,
    coming_closures,
    facilities_with_counters,
    waiting_list_counts,
)
from cityhall.appointments.services import add_closure, remove_closure
from cityhall.appointments.slots import city_zone
from cityhall.backoffice.access import staff_member_required
from cityhall.core.errors import CityHallError, NotFound
from cityhall.places.models import Facility

#: How many days, today included, a facility's page lists.
DAYS_LISTED = 7


class ClosureForm(forms.Form):
    starts_on = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason_en = forms.CharField(label=gettext_lazy("Reason (English)"), max_length=200)
    reason_fr = forms.CharField(label=gettext_lazy("Reason (French)"), max_length=200)


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_member_required admitted staff only
    return request.user


def _facility(public_id: uuid.UUID) -> Facility:
    found = next(
        (f for f in facilities_with_counters(days=DAYS_LISTED) if f.public_id == public_id), None
    )
    if found is None:
        raise NotFound
    return found


@staff_member_required(capability=Capability.HANDLE_APPOINTMENTS)
def facility_list(request: HttpRequest) -> HttpResponse:
    """The facilities that have counters, with their bookings today and in the coming days."""
    return render(
        request,
        "backoffice/appointments/facilities.html",
        {"facilities": facilities_with_counters(days=DAYS_LISTED)},
    )


@staff_member_required(capability=Capability.HANDLE_APPOINTMENTS)
def facility_bookings(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A facility's active bookings from today on, one table per day, and how many people
    wait for a freed time of each service."""
    facility = _facility(public_id)
    today = timezone.now().astimezone(city_zone()).date()
    first = dt.datetime.combine(today, dt.time.min, tzinfo=city_zone())
    last = dt.datetime.combine(
        today + dt.timedelta(days=DAYS_LISTED), dt.time.min, tzinfo=city_zone()
    )
    bookings = bookings_for_facility(facility, first=first, last=last)
    days = [
        (day, list(day_bookings))
        for day, day_bookings in groupby(
            bookings, key=lambda booking: booking.starts_at.astimezone(city_zone()).date()
        )
    ]
    staff = _staff(request)
    context = {
        "facility": facility,
        "days": days,
        "today": today,
        "waiting_lists": waiting_list_counts(facility),
    }
    if has_capability(staff, Capability.MANAGE_COUNTER_CALENDARS):
        context.update(closures=coming_closures(facility), closure_form=ClosureForm())
    return render(request, "backoffice/appointments/facility.html", context)


@require_POST
@staff_member_required(capability=Capability.MANAGE_COUNTER_CALENDARS)
def facility_closure_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Close the facility on the days given; bookings already made then are counted, kept."""
    facility = _facility(public_id)
    form = ClosureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the first and last days and the reason in both languages."))
        return redirect("backoffice:appointments_facility", public_id=facility.public_id)
    try:
        add_closure(facility=facility, actor=_staff(request), **form.cleaned_data)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The closure is saved: no times are offered those days."))
    return redirect("backoffice:appointments_facility", public_id=facility.public_id)


@require_POST
@staff_member_required(capability=Capability.MANAGE_COUNTER_CALENDARS)
def facility_closure_remove(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Open the facility again on a closure's days."""
    closure = get_object_or_404(Closure.objects.select_related("facility"), public_id=public_id)
    remove_closure(closure=closure, actor=_staff(request))
    messages.success(request, _("The closure is removed."))
    return redirect("backoffice:appointments_facility", public_id=closure.facility.public_id)
