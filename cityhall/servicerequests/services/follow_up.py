"""A filing's follow-up: its likely duplicates noted for staff, then its confirmation sent.

`tasks.follow_up_submission` is queued with each filing. With RQ it is queued after the
filing's commit, so a web process that dies in between loses it; the sweep
`follow_up_filings_left_waiting` then does the follow-up once FOLLOW_UP_GRACE has passed.
Each follow-up is claimed by a conditional UPDATE that lasts FOLLOW_UP_CLAIM: two workers
given the same filing (the task and the sweep, or a retried job) never both confirm it, and
a worker that dies mid-way leaves it to the sweep once its claim has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from cityhall.servicerequests.emails import send_service_request_email
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services.intake import record_duplicate_candidates

#: How long a worker holds a follow-up before another may take it (its worker died).
FOLLOW_UP_CLAIM = timedelta(minutes=5)
#: How long after a filing its own task is presumed queued, so the sweep leaves it alone.
FOLLOW_UP_GRACE = timedelta(minutes=5)
#: Filings older than this are never swept: a confirmation days late would mislead.
FOLLOW_UP_WINDOW = timedelta(days=1)
#: Filings one sweep follows up, so that a sweep never holds a worker for long.
FOLLOW_UPS_PER_SWEEP = 20


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up did: how many duplicate candidates the filing has, and whether its
    reporter (or contact email) was written to."""

    duplicate_candidates: int
    confirmed: bool


def follow_up_filing(service_request_id: int, *, now: datetime | None = None) -> FollowUp | None:
    """Note a filing's likely duplicates, then send its confirmation, once per filing.

    Returns None, doing nothing, for a filing erased, already followed up, or held by another
    worker's live claim. Raises whatever the email backend raises, after the candidates are
    stored: the claim then expires and the sweep sends the email (the candidates stay).
    """
    now = now or timezone.now()
    claimed = ServiceRequest.objects.filter(
        _claimable(now), id=service_request_id, followed_up_at__isnull=True
    ).update(follow_up_claimed_at=now)
    if not claimed:
        return None
    service_request = ServiceRequest.objects.select_related("service", "reporter").get(
        id=service_request_id
    )
    candidates = record_duplicate_candidates(service_request)
    confirmed = send_service_request_email(service_request=service_request, template="submitted")
    ServiceRequest.objects.filter(id=service_request_id).update(followed_up_at=timezone.now())
    return FollowUp(duplicate_candidates=candidates, confirmed=confirmed)


def follow_up_filings_left_waiting(*, now: datetime | None = None) -> int:
    """Follow up the oldest filings still waiting FOLLOW_UP_GRACE after they were made (within
    FOLLOW_UP_WINDOW), at most FOLLOW_UPS_PER_SWEEP; returns how many were followed up.

    Done here rather than queued again, so that a backlog of follow-ups is not doubled. The
    first email failure ends the sweep (the mail server is likely down); the next one retries.
    """
    now = now or timezone.now()
    waiting = list(
        ServiceRequest.objects.filter(
            _claimable(now),
            followed_up_at__isnull=True,
            created_at__gte=now - FOLLOW_UP_WINDOW,
            created_at__lte=now - FOLLOW_UP_GRACE,
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)[:FOLLOW_UPS_PER_SWEEP]
    )
    return sum(
        follow_up_filing(service_request_id, now=now) is not None for service_request_id in waiting
    )


def _claimable(now: datetime) -> Q:
    return Q(follow_up_claimed_at__isnull=True) | Q(follow_up_claimed_at__lte=now - FOLLOW_UP_CLAIM)
