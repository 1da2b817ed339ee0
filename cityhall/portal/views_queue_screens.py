"""The queue's screens at a facility: the ticket kiosk and the public display.

The kiosk needs no sign-in: one tap on a service takes a ticket, whose number shows with a QR
code of its live page. That screen's address holds a signed reference valid for two minutes
only, and the page returns to the start after a minute, so the next person at the kiosk cannot
reopen someone else's ticket. The display shows who is called to which counter and, per
service, how many wait and for how long; it polls its JSON twin, which every screen of the
facility shares for a couple of seconds.
"""

from __future__ import annotations

import uuid
from uuid import UUID

import segno
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.appointments.models import CounterService, Visit
from cityhall.appointments.services_queue import take_ticket
from cityhall.appointments.wait_estimates import service_wait_summary
from cityhall.core.errors import CityHallError
from cityhall.places.models import Facility
from cityhall.portal.queue_state import facility_board, wait_in_words, walk_in_facility
from cityhall.portal.views_queue import private_page

BOARD_CACHE_SECONDS = 2
BOARD_POLL_SECONDS = 5
#: How long the kiosk's ticket screen can be opened again, and when it returns to the start.
KIOSK_TICKET_SECONDS = 120
KIOSK_RESET_SECONDS = 60
KIOSK_SALT = "portal.kiosk-ticket"
#: The kiosk session's record of the screens that took a ticket (their key → the visit).
KIOSK_SUBMISSIONS = "queue_kiosk_submissions"


def _take_at_kiosk(request: HttpRequest, facility: Facility) -> str:
    """Take the ticket a tap asks for; the public id of the visit. A second tap of the same
    screen (its key is in the kiosk's session) returns the first tap's visit."""
    key = request.POST.get("submission_key", "")
    taken: dict[str, str] = request.session.get(KIOSK_SUBMISSIONS, {})
    if key in taken:
        return taken[key]
    service = CounterService.objects.filter(
        code=request.POST.get("service", ""), is_active=True
    ).first()
    if service is None:
        raise CityHallError(_("Choose a service."))
    visit = take_ticket(
        facility=facility,
        service=service,
        channel=Visit.Channel.KIOSK,
        actor=None,
        language=get_language() or "en",
        needs_priority=request.POST.get("needs_priority") == "1",
    )
    if key:
        request.session[KIOSK_SUBMISSIONS] = dict(
            [*list(taken.items())[-4:], (key, str(visit.public_id))]
        )
    return str(visit.public_id)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, facility_id: UUID) -> HttpResponse:
    """The kiosk's start: a big button per walk-in service; a tap takes a ticket."""
    facility = walk_in_facility(facility_id)
    if request.method == "POST":
        try:
            public_id = _take_at_kiosk(request, facility)
        except CityHallError as error:
            messages.error(request, error.message)
            return redirect("portal:queue_kiosk", facility_id=facility.public_id)
        reference = signing.dumps(public_id, salt=KIOSK_SALT)
        return redirect(
            "portal:queue_kiosk_ticket", facility_id=facility.public_id, reference=reference
        )
    summaries = [(s, wait_in_words(s.estimated_wait)) for s in service_wait_summary(facility)]
    context = {
        "facility": facility,
        "summaries": summaries,
        "reset_seconds": KIOSK_RESET_SECONDS,
        "submission_key": uuid.uuid4(),
    }
    return render(request, "portal/queue/kiosk.html", context)


def _qr_data_uri(url: str) -> str:
    """A QR code of `url` as an SVG data address (drawn here: no outside service sees it)."""
    return str(segno.make(url, error="m").svg_data_uri(scale=6, border=2))


@never_cache
@require_GET
def kiosk_ticket(request: HttpRequest, facility_id: UUID, reference: str) -> HttpResponse:
    """The number just taken at the kiosk, with a QR code of its live page."""
    facility = walk_in_facility(facility_id)
    start = reverse("portal:queue_kiosk", kwargs={"facility_id": facility.public_id})
    try:
        public_id = signing.loads(reference, salt=KIOSK_SALT, max_age=KIOSK_TICKET_SECONDS)
    except signing.BadSignature:
        return redirect(start)
    visit = (
        Visit.objects.select_related("service")
        .filter(public_id=public_id, facility=facility, channel=Visit.Channel.KIOSK)
        .first()
    )
    if visit is None:
        return redirect(start)
    live_url = request.build_absolute_uri(reverse("portal:queue_ticket", args=[visit.token]))
    context = {
        "facility": facility,
        "visit": visit,
        "qr_code": _qr_data_uri(live_url),
        "start_url": start,
        "reset_seconds": KIOSK_RESET_SECONDS,
    }
    return private_page(render(request, "portal/queue/kiosk_ticket.html", context))


def _board(facility_id: UUID) -> dict[str, object]:
    key = f"portal:queue-board:{facility_id}:{get_language()}"
    board = cache.get(key)
    if board is None:
        board = facility_board(walk_in_facility(facility_id))
        cache.set(key, board, BOARD_CACHE_SECONDS)
    return dict(board)


@require_GET
def display(request: HttpRequest, facility_id: UUID) -> HttpResponse:
    """The facility's public display: now serving, and waits per service."""
    board = _board(facility_id)
    take_url = request.build_absolute_uri(
        reverse("portal:take_ticket_at", kwargs={"facility_id": facility_id})
    )
    context = {
        "board": board,
        "facility_id": facility_id,
        "poll_seconds": BOARD_POLL_SECONDS,
        "take_qr_code": _qr_data_uri(take_url),
    }
    response = render(request, "portal/queue/display.html", context)
    response["Cache-Control"] = f"public, max-age={BOARD_CACHE_SECONDS}"
    return response


@require_GET
def display_board(request: HttpRequest, facility_id: UUID) -> HttpResponse:
    """The display's news as JSON (numbers and counters only, no personal data)."""
    response = JsonResponse({**_board(facility_id), "poll_seconds": BOARD_POLL_SECONDS})
    response["Cache-Control"] = f"public, max-age={BOARD_CACHE_SECONDS}"
    return response
