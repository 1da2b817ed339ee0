"""What the queue pages show: a ticket's state, a facility's board, and waits in words.

The same plain dictionaries feed the pages (first render) and their JSON endpoints (updates),
so a page and its updates never disagree. Texts are in the active language. Reads go through
`appointments.queue_selectors` and `appointments.wait_estimates`; the one read added here
(`walk_in_facilities`, `walk_in_facility`, `open_tickets_of`) are plain filters.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityhall.accounts.models import User
from cityhall.appointments.models import OPEN_VISIT_STATUSES, Counter, CounterService, Visit
from cityhall.appointments.queue_selectors import facility_queue, visit_position
from cityhall.appointments.services_queue.rules import queue_rules
from cityhall.appointments.wait_estimates import estimate_wait, service_wait_summary
from cityhall.core.errors import NotFound
from cityhall.places.models import Facility

WALK_IN_ACCESS = (CounterService.Access.WALK_IN, CounterService.Access.BOTH)


def walk_in_facilities() -> list[Facility]:
    """The places where some counter offers an active walk-in service, by name."""
    offered = Counter.objects.filter(
        facility=OuterRef("pk"), services__is_active=True, services__access__in=WALK_IN_ACCESS
    )
    return sorted(Facility.objects.filter(Exists(offered)), key=lambda f: f.name.casefold())


def walk_in_facility(public_id: UUID | str) -> Facility:
    """A place that gives walk-in tickets, by its public id; NotFound otherwise."""
    offered = Counter.objects.filter(
        facility=OuterRef("pk"), services__is_active=True, services__access__in=WALK_IN_ACCESS
    )
    facility = Facility.objects.filter(Exists(offered), public_id=public_id).first()
    if facility is None:
        raise NotFound
    return facility


def open_tickets_of(citizen: User) -> list[Visit]:
    """The citizen's walk-in tickets still waiting or at a counter, oldest first."""
    return list(
        Visit.objects.filter(
            citizen=citizen, kind=Visit.Kind.WALK_IN, status__in=OPEN_VISIT_STATUSES
        ).select_related("facility", "service", "counter")
    )


def wait_in_words(wait: dt.timedelta | None) -> str:
    """An estimated wait as people say it: rounded up, to five minutes past a quarter hour."""
    if wait is None:
        return _("Not known yet: no counter is serving this now.")
    minutes = math.ceil(wait.total_seconds() / 60)
    if minutes <= 1:
        return _("Any moment now")
    if minutes > 15:
        minutes = 5 * math.ceil(minutes / 5)
    if minutes < 60:
        return ngettext("About %(minutes)d minute", "About %(minutes)d minutes", minutes) % {
            "minutes": minutes
        }
    hours, rest = divmod(minutes, 60)
    return _("About %(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}


def _headline(visit: Visit, position: int | None) -> str:
    counter = visit.counter.label if visit.counter is not None else ""
    nearly = position is not None and position <= queue_rules().nearly_next_count
    headlines = {
        Visit.Status.WAITING: _("Nearly your turn: please come back to the waiting area now.")
        if nearly
        else _("Waiting"),
        Visit.Status.CALLED: _("It is your turn: go to counter %(counter)s now.")
        % {"counter": counter},
        Visit.Status.SERVING: _("Being served at counter %(counter)s") % {"counter": counter},
        Visit.Status.SERVED: _("Served. Thank you for your visit."),
        Visit.Status.NO_SHOW: _("You were called but did not come. Take a new ticket if needed."),
        Visit.Status.CANCELLED: _("Cancelled: you left the queue."),
        Visit.Status.TRANSFERRED: _("Moved to another queue."),
    }
    return headlines[Visit.Status(visit.status)]


def _position_in_words(position: int | None) -> str:
    if position is None:
        return ""
    if position == 1:
        return _("You are next in line.")
    return ngettext(
        "%(ahead)d person is ahead of you.", "%(ahead)d people are ahead of you.", position - 1
    ) % {"ahead": position - 1}


def ticket_state(visit: Visit, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the holder's live page shows about `visit`, JSON-ready."""
    waiting = visit.status == Visit.Status.WAITING
    position = visit_position(visit, now=now) if waiting else None
    wait = estimate_wait(visit, now=now) if waiting else None
    return {
        "status": visit.status,
        "is_open": visit.is_open,
        "can_cancel": visit.status in (Visit.Status.WAITING, Visit.Status.CALLED),
        "number": visit.number,
        "service": visit.service.name,
        "facility": visit.facility.name,
        "counter": visit.counter.label if visit.counter is not None else None,
        # A recall shows the number anew: the page announces it again.
        "times_called": visit.times_called,
        "headline": _headline(visit, position),
        "position": position,
        "position_text": _position_in_words(position),
        "wait_text": wait_in_words(wait) if waiting else "",
        "priority": visit.needs_priority,
    }


def facility_board(facility: Facility, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """A facility's public board: who is called to which counter, and per walk-in service how
    many wait and how long a newcomer would. No personal data: numbers and counters only."""
    queue = facility_queue(facility, now=now)
    called = sorted(
        queue.at_counters, key=lambda v: (v.called_at is not None, v.called_at), reverse=True
    )
    return {
        "facility": facility.name,
        "now_serving": [
            {
                "number": visit.number,
                "counter": visit.counter.label if visit.counter is not None else "",
                "is_called": visit.status == Visit.Status.CALLED,
                "times_called": visit.times_called,
            }
            for visit in called
        ],
        "services": [
            {
                "code": summary.service.code,
                "name": summary.service.name,
                "documents": summary.service.documents,
                "waiting": summary.waiting,
                "waiting_text": ngettext("%(count)d waiting", "%(count)d waiting", summary.waiting)
                % {"count": summary.waiting},
                "wait_text": wait_in_words(summary.estimated_wait),
            }
            for summary in service_wait_summary(facility, now=now)
        ],
        "counters_open": len(queue.open_sessions),
    }
