"""Walk-in tickets from the portal, and the holder's live page.

Taking a ticket: choose a place, then a walk-in service (with its documents, the people
waiting and the estimated wait), optionally an email or phone for the "nearly your turn"
message (signed-in people are told through their account), and a priority need. The live page
(`/queue/t/<token>/`) needs no sign-in: its secret token is the key, so it is never indexed,
cached or sent as a referrer. It polls its small JSON twin to update without reload; without
JavaScript it refreshes itself every half minute, which the reader can stop.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.accounts.models import User
from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.queue_selectors import visit_by_token
from cityhall.appointments.services_queue import cancel_ticket, take_ticket
from cityhall.appointments.services_queue.errors import WalkInNotOffered
from cityhall.appointments.services_queue.rules import is_open_at
from cityhall.appointments.wait_estimates import service_wait_summary
from cityhall.core.errors import CityHallError, InvalidInput, NotFound
from cityhall.core.ratelimit import address_identity, count_hit
from cityhall.places.models import Facility
from cityhall.portal.queue_state import (
    open_tickets_of,
    ticket_state,
    wait_in_words,
    walk_in_facilities,
    walk_in_facility,
)

#: How long a ticket's JSON is reused for everyone polling it.
STATUS_CACHE_SECONDS = 2
#: How often the live page asks for news (the JSON tells the script, the page says it too).
POLL_SECONDS = 5
#: The session's record of the forms that took a ticket (their key → the ticket's token).
SUBMISSIONS = "queue_ticket_submissions"
#: How often the page reloads itself without JavaScript.
REFRESH_SECONDS = 30


class TicketForm(forms.Form):
    service = forms.CharField(
        label=gettext_lazy("Service"),
        error_messages={"required": gettext_lazy("Choose a service.")},
    )
    contact_email = forms.CharField(
        label=gettext_lazy("Email address (optional)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("We write to you when it is nearly your turn."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Mobile phone for a text message (optional)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("For example: 514 555-0123. Used only for this ticket."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    needs_priority = forms.BooleanField(
        label=gettext_lazy("I need priority service because of a disability or a health need"),
        required=False,
        help_text=gettext_lazy(
            "For example if you cannot stand or wait for long. Staff may ask you about it."
        ),
    )


def _signed_in(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def private_page(response: HttpResponse) -> HttpResponse:
    """Keep a page reached by a secret link out of indexes, caches and referrers."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def choose_place(request: HttpRequest) -> HttpResponse:
    """The places that give walk-in tickets, and the signed-in citizen's open tickets."""
    citizen = _signed_in(request)
    context = {
        "facilities": walk_in_facilities(),
        "tickets": open_tickets_of(citizen) if citizen is not None else [],
    }
    return render(request, "portal/queue/places.html", context)


def _take(request: HttpRequest, form: TicketForm, facility: Facility) -> Visit | None:
    """Take the ticket the valid `form` asks for; None after putting the refusal on the form."""
    citizen = _signed_in(request)
    data = form.cleaned_data
    service = CounterService.objects.filter(code=data["service"], is_active=True).first()
    if service is None:
        form.add_error("service", _("Choose a service."))
        return None
    try:
        if citizen is None and (data["contact_email"] or data["contact_phone"]):
            # A contact is messaged when nearly next: limit how many one address may leave.
            count_hit(bucket="queue.portal_tickets", identity=address_identity(request))
        return take_ticket(
            facility=facility,
            service=service,
            channel=Visit.Channel.PORTAL,
            actor=citizen,
            citizen=citizen,
            contact_email="" if citizen else data["contact_email"],
            contact_phone="" if citizen else data["contact_phone"],
            language=get_language() or "en",
            needs_priority=data["needs_priority"],
        )
    except WalkInNotOffered as error:
        form.add_error("service", error.message)
    except InvalidInput as error:
        for name, problems in error.fields.items():
            form.add_error(name if name in form.fields else None, problems)
        if not error.fields:
            form.add_error(None, error.message)
    except CityHallError as error:
        form.add_error(None, error.message)
    return None


@require_http_methods(["GET", "POST"])
def take_at(request: HttpRequest, facility_id: UUID) -> HttpResponse:
    """Choose a walk-in service at one place and take a ticket."""
    facility = walk_in_facility(facility_id)
    citizen = _signed_in(request)
    form = TicketForm(
        request.POST or None,
        initial={"service": request.GET.get("service", ""), "submission_key": uuid.uuid4()},
    )
    if citizen is not None:
        del form.fields["contact_email"], form.fields["contact_phone"]
    if request.method == "POST" and form.is_valid():
        # A second click of the same form leads to the ticket the first one took.
        key = str(form.cleaned_data["submission_key"] or "")
        taken: dict[str, str] = request.session.get(SUBMISSIONS, {})
        if key and key in taken:
            return redirect("portal:queue_ticket", token=taken[key])
        visit = _take(request, form, facility)
        if visit is not None:
            if key:
                request.session[SUBMISSIONS] = dict([*list(taken.items())[-4:], (key, visit.token)])
            return redirect("portal:queue_ticket", token=visit.token)
    summaries = service_wait_summary(facility)
    codes = [summary.service.code for summary in summaries]
    chosen = form["service"].value() or (codes[0] if len(codes) == 1 else "")
    asked = request.GET.get("service", "")
    context: dict[str, Any] = {
        "facility": facility,
        "form": form,
        "summaries": [(s, wait_in_words(s.estimated_wait)) for s in summaries],
        "chosen": chosen,
        "is_open": is_open_at(facility, timezone.now()),
        # A link from the booking pages may name a service taken by appointment only here.
        "not_walk_in": CounterService.objects.filter(code=asked).first()
        if asked and asked not in codes
        else None,
    }
    return render(request, "portal/queue/take.html", context, status=400 if form.errors else 200)


def _status_key(token: str) -> str:
    digest = hashlib.blake2b(token.encode(), digest_size=16).hexdigest()
    return f"portal:queue-ticket:{digest}:{get_language()}"


@never_cache
@require_GET
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The holder's live page: number, service, position, estimated wait, status."""
    visit = visit_by_token(token)
    context = {
        "visit": visit,
        "state": ticket_state(visit),
        "poll_seconds": POLL_SECONDS,
        "refresh_seconds": 0 if request.GET.get("refresh") == "off" else REFRESH_SECONDS,
    }
    return private_page(render(request, "portal/queue/ticket.html", context))


@require_GET
def ticket_status(request: HttpRequest, token: str) -> HttpResponse:
    """The live page's news as JSON; shared for a couple of seconds by every poll."""
    key = _status_key(token)
    state = cache.get(key)
    if state is None:
        try:
            visit = visit_by_token(token)
        except NotFound as error:
            response = JsonResponse(
                {"error": {"code": error.code, "message": error.message}}, status=404
            )
            return private_page(response)
        state = {**ticket_state(visit), "poll_seconds": POLL_SECONDS}
        cache.set(key, state, STATUS_CACHE_SECONDS)
    response = JsonResponse(state)
    response["Cache-Control"] = f"private, max-age={STATUS_CACHE_SECONDS}"
    return private_page(response)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Ask before leaving the queue; the button cancels the ticket."""
    visit = visit_by_token(token)
    if request.method == "POST":
        try:
            cancel_ticket(visit=visit, actor=_signed_in(request))
        except CityHallError as error:
            messages.error(request, error.message)
        else:
            cache.delete(_status_key(token))
            messages.success(request, _("Your ticket is cancelled. You left the queue."))
        return redirect("portal:queue_ticket", token=token)
    return private_page(render(request, "portal/queue/cancel.html", {"visit": visit}))
