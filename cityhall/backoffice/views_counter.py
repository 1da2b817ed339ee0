"""The counter view: staff on duty call, serve and transfer visits, and check bookings in.

One page per facility (GET) shows the staff member's session, the visit at their counter, the
waiting queue and today's bookings; every action is a plain form posted to its own address
that redirects back to the page (POST-redirect-GET), so the page works without JavaScript.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.permissions import Capability
from cityhall.appointments.models import Booking, Counter, CounterService, Visit
from cityhall.appointments.queue_selectors import (
    counter_facilities,
    counter_facility,
    counters_of,
    facility_queue,
    open_session_of,
    open_visit_at_facility,
    todays_bookings,
    visit_at_counter,
)
from cityhall.appointments.services_queue import (
    call_next,
    check_in_booking,
    close_counter_session,
    finish_visit,
    mark_no_show,
    open_counter_session,
    recall_visit,
    start_serving,
    take_ticket,
    transfer_visit,
)
from cityhall.backoffice.access import staff_member_required
from cityhall.core.errors import CityHallError, NotFound
from cityhall.core.forms import PublicIdChoiceField
from cityhall.places.models import Facility

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

HANDLE = Capability.HANDLE_APPOINTMENTS


class TransferForm(forms.Form):
    service = PublicIdChoiceField(
        label=gettext_lazy("To the service"),
        queryset=CounterService.objects.none(),
        required=False,
        empty_label=gettext_lazy("(the same service)"),
    )
    counter = PublicIdChoiceField(
        label=gettext_lazy("At the counter"),
        queryset=Counter.objects.none(),
        required=False,
        empty_label=gettext_lazy("(any counter)"),
    )

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_field = self.fields["service"]
        counter_field = self.fields["counter"]
        assert isinstance(service_field, PublicIdChoiceField)
        assert isinstance(counter_field, PublicIdChoiceField)
        service_field.queryset = CounterService.objects.filter(
            counters__facility=facility, is_active=True
        ).distinct()
        counter_field.queryset = Counter.objects.filter(facility=facility).order_by("label")


class TicketForm(forms.Form):
    service = PublicIdChoiceField(
        label=gettext_lazy("Service"), queryset=CounterService.objects.none()
    )
    needs_priority = forms.BooleanField(
        label=gettext_lazy("Priority (accessibility needs)"), required=False
    )

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, PublicIdChoiceField)
        field.queryset = (
            CounterService.objects.filter(counters__facility=facility, is_active=True)
            .exclude(access=CounterService.Access.BOOKING)
            .distinct()
        )


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_member_required admitted staff only
    return request.user


def _back(facility: Facility) -> HttpResponse:
    return redirect("backoffice:counter_facility", public_id=facility.public_id)


def _done(
    request: HttpRequest, facility: Facility, action: Callable[[], object], success: str
) -> HttpResponse:
    """Run `action` (a service call); tell the outcome, then go back to the page."""
    try:
        action()
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return _back(facility)


@staff_member_required(capability=HANDLE)
def counter_home(request: HttpRequest) -> HttpResponse:
    """The staff member's counter if on duty, else the places with counters to choose from."""
    session = open_session_of(_staff(request))
    if session is not None:
        return _back(session.counter.facility)
    return render(
        request, "backoffice/counter/facilities.html", {"facilities": counter_facilities()}
    )


@staff_member_required(capability=HANDLE)
def counter_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A facility's counter page: session, current visit, queue and today's bookings."""
    facility = counter_facility(public_id)
    session = open_session_of(_staff(request))
    if session is not None and session.counter.facility_id != facility.pk:
        session = None
    current = visit_at_counter(session.counter) if session is not None else None
    return render(
        request,
        "backoffice/counter/counter.html",
        {
            "facility": facility,
            "session": session,
            "current": current,
            "counters": counters_of(facility),
            "queue": facility_queue(facility),
            "bookings": todays_bookings(facility),
            "transfer_form": TransferForm(facility=facility, auto_id="transfer-%s"),
            "ticket_form": TicketForm(facility=facility, auto_id="ticket-%s"),
        },
    )


@require_POST
@staff_member_required(capability=HANDLE)
def session_open(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    facility = counter_facility(public_id)
    counter = next(
        (
            state.counter
            for state in counters_of(facility)
            if str(state.counter.public_id) == request.POST.get("counter", "")
        ),
        None,
    )
    if counter is None:
        messages.error(request, _("Choose a counter of this place."))
        return _back(facility)
    return _done(
        request,
        facility,
        lambda: open_counter_session(counter=counter, staff=_staff(request)),
        _("You are on duty at counter %(label)s.") % {"label": counter.label},
    )


@require_POST
@staff_member_required(capability=HANDLE)
def session_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    facility = counter_facility(public_id)
    session = open_session_of(_staff(request))
    if session is None:
        return _back(facility)
    return _done(
        request,
        facility,
        lambda: close_counter_session(session=session, actor=_staff(request)),
        _("Your session is closed."),
    )


@require_POST
@staff_member_required(capability=HANDLE)
def next_visit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    facility = counter_facility(public_id)
    staff = _staff(request)
    session = open_session_of(staff)
    if session is None or session.counter.facility_id != facility.pk:
        messages.error(request, _("Open your session at a counter of this place first."))
        return _back(facility)
    try:
        visit = call_next(counter=session.counter, actor=staff)
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        if visit is None:
            messages.info(request, _("Nobody is waiting for this counter."))
        else:
            messages.success(request, _("Ticket %(number)s is called.") % {"number": visit.number})
    return _back(facility)


STEPS: dict[str, tuple[Callable[..., Visit], StrOrPromise]] = {
    "serve": (start_serving, gettext_lazy("Serving ticket %(number)s.")),
    "finish": (finish_visit, gettext_lazy("Ticket %(number)s is served.")),
    "no-show": (mark_no_show, gettext_lazy("Ticket %(number)s is marked as not come.")),
    "recall": (recall_visit, gettext_lazy("Ticket %(number)s is called again.")),
}


@require_POST
@staff_member_required(capability=HANDLE)
def visit_step(
    request: HttpRequest, public_id: uuid.UUID, visit_id: uuid.UUID, step: str
) -> HttpResponse:
    facility = counter_facility(public_id)
    if step not in STEPS:
        raise NotFound
    visit = open_visit_at_facility(facility=facility, public_id=visit_id)
    service, message = STEPS[step]
    return _done(
        request,
        facility,
        lambda: service(visit=visit, actor=_staff(request)),
        str(message) % {"number": visit.number},
    )


@require_POST
@staff_member_required(capability=HANDLE)
def visit_transfer(request: HttpRequest, public_id: uuid.UUID, visit_id: uuid.UUID) -> HttpResponse:
    facility = counter_facility(public_id)
    visit = open_visit_at_facility(facility=facility, public_id=visit_id)
    form = TransferForm(request.POST, facility=facility)
    if not form.is_valid():
        messages.error(request, _("Choose a service or a counter of this place."))
        return _back(facility)
    return _done(
        request,
        facility,
        lambda: transfer_visit(
            visit=visit,
            actor=_staff(request),
            service=form.cleaned_data["service"],
            counter=form.cleaned_data["counter"],
        ),
        _("Ticket %(number)s is transferred.") % {"number": visit.number},
    )


@require_POST
@staff_member_required(capability=HANDLE)
def booking_check_in(
    request: HttpRequest, public_id: uuid.UUID, booking_id: uuid.UUID
) -> HttpResponse:
    facility = counter_facility(public_id)
    booking = Booking.objects.filter(facility=facility, public_id=booking_id).first()
    if booking is None:
        raise NotFound
    return _done(
        request,
        facility,
        lambda: check_in_booking(
            booking=booking,
            actor=_staff(request),
            needs_priority=request.POST.get("needs_priority") == "on",
        ),
        _("The appointment is checked in."),
    )


@require_POST
@staff_member_required(capability=HANDLE)
def counter_ticket(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    facility = counter_facility(public_id)
    form = TicketForm(request.POST, facility=facility)
    if not form.is_valid():
        messages.error(request, _("Choose a walk-in service of this place."))
        return _back(facility)
    try:
        visit = take_ticket(
            facility=facility,
            service=form.cleaned_data["service"],
            channel=Visit.Channel.COUNTER,
            actor=_staff(request),
            needs_priority=form.cleaned_data["needs_priority"],
            language=request.LANGUAGE_CODE,
        )
    except CityHallError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Ticket %(number)s is given.") % {"number": visit.number})
    return _back(facility)
