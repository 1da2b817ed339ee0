"""Background jobs of the servicerequests domain. Each takes ids and re-reads the rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from cityhall.core.queueing import enqueue_after_commit
from cityhall.servicerequests import photos
from cityhall.servicerequests.emails import send_service_request_email
from cityhall.servicerequests.models import Comment, RequestPhoto, ServiceRequest, StatusChange
from cityhall.servicerequests.notices import (
    SETTLED,
    invite_to_rate,
    tell_about_step,
    tell_staff_about_comment,
)
from cityhall.servicerequests.selectors import staff_to_tell


def enqueue_with_commit(queued: Task[Any, Any], *args: Any) -> None:
    """Queue `queued(*args)` so that it runs if, and only if, the current transaction commits.

    With the database task backend the task's row is written in the transaction itself (a
    transactional outbox): a filing acknowledged after its commit cannot lose its task to a
    crash. Other backends cannot take part in the transaction, so the task is queued after
    the commit; a crash between the two, or a queue that cannot be reached then (Redis down),
    loses it. That failure is logged, not turned into an error for a citizen whose filing is
    already stored: the scheduled sweeps (`follow_up_filings_left_waiting`,
    `clean_photos_left_waiting`) do the work of filings left waiting.
    """
    if isinstance(queued.get_backend(), DatabaseBackend):
        queued.enqueue(*args)
    else:
        enqueue_after_commit(queued, *args)


@task()
def follow_up_submission(service_request_id: int) -> dict[str, Any]:
    """After a filing: note its likely duplicates for staff, then confirm it to the reporter,
    once per filing (see services.follow_up).

    Returns how many duplicate candidates the request has and whether someone was written
    to; nothing happens for a request erased, already followed up, or being followed up by
    another worker. Raises whatever the email backend raises, after the candidates are
    stored; `follow_up_filings_left_waiting` sends the email later.
    """
    # Imported here: the services package imports this module to queue the tasks.
    from cityhall.servicerequests.services.follow_up import follow_up_filing

    follow_up = follow_up_filing(service_request_id)
    if follow_up is None:
        return {"duplicate_candidates": 0, "confirmed": False}
    return {
        "duplicate_candidates": follow_up.duplicate_candidates,
        "confirmed": follow_up.confirmed,
    }


@task()
def follow_up_filings_left_waiting() -> int:
    """Follow up filings whose `follow_up_submission` was lost or whose worker died; returns
    how many were followed up (see services.follow_up)."""
    from cityhall.servicerequests.services import follow_up

    return follow_up.follow_up_filings_left_waiting()


@task()
def clean_request_photo(photo_id: int) -> str:
    """Clean a photo filed with a request (decode, orient, re-encode without metadata).

    Returns the photo's status: "clean", "rejected" for one that does not decode, or "gone"
    for a photo erased since the task was queued. The decoding is here, off the web request,
    so that the CPU uploads take is bounded by the workers' concurrency.
    """
    photo = RequestPhoto.objects.filter(id=photo_id).first()
    if photo is None:
        return "gone"
    return str(photos.clean_request_photo(photo))


#: A photo still awaiting cleaning this long after its filing lost its task (a crash between
#: the commit and queueing it on RQ, or a worker that died while cleaning it).
PHOTO_LEFT_WAITING_AFTER = timedelta(hours=1)
#: Photos one sweep cleans, so that a sweep never holds a worker for long.
PHOTOS_PER_SWEEP = 20


@task()
def clean_photos_left_waiting() -> int:
    """Clean the oldest photos still awaiting cleaning PHOTO_LEFT_WAITING_AFTER after their
    filing, at most PHOTOS_PER_SWEEP of them; returns how many were settled.

    Cleaned here rather than queued again, so that a backlog of uploads is not doubled.
    """
    left_waiting = RequestPhoto.objects.filter(
        status=RequestPhoto.Status.AWAITING_CLEANING,
        created_at__lt=timezone.now() - PHOTO_LEFT_WAITING_AFTER,
    ).order_by("created_at", "id")[:PHOTOS_PER_SWEEP]
    settled = 0
    for photo in left_waiting:
        photos.clean_request_photo(photo)
        settled += 1
    return settled


@task(queue_name="email")
def send_submission_confirmation(service_request_id: int) -> bool:
    """Email the reporter the tracking number of a new request. False if there is nobody to tell.

    Filings queue `follow_up_submission`; this task remains for confirmations queued before.
    """
    service_request = _new_request(service_request_id)
    if service_request is None:
        return False  # erased since the task was queued
    return send_service_request_email(service_request=service_request, template="submitted")


def _new_request(service_request_id: int) -> ServiceRequest | None:
    return (
        ServiceRequest.objects.select_related("service", "reporter")
        .filter(id=service_request_id)
        .first()
    )


@task(queue_name="email")
def send_status_update(status_change_id: int) -> int:
    """Tell the reporter and followers of a public step; ask for a rating once it is settled.

    Returns how many people were told (0 for an internal step or an erased request).
    """
    step = (
        StatusChange.objects.select_related("service_request__service", "service_request__reporter")
        .filter(id=status_change_id, is_public=True)
        .first()
    )
    if step is None:
        return 0
    told = tell_about_step(step)
    if step.to_status in SETTLED and step.from_status != step.to_status:
        invite_to_rate(step.service_request)
    return told


@task()
def tell_staff_of_comment(comment_id: int) -> int:
    """Tell the staff handling a request that a citizen commented; returns how many were told
    (0 for a comment erased since)."""
    comment = (
        Comment.objects.select_related("service_request__service", "service_request__assignee")
        .filter(id=comment_id)
        .first()
    )
    if comment is None:
        return 0
    return tell_staff_about_comment(comment, staff=staff_to_tell(comment.service_request))


@task()
def check_service_levels() -> int:
    """Warn at 80% of each open request's SLA and escalate at breach; returns notices sent."""
    # Imported here: the services package imports this module to queue the tasks above.
    from cityhall.servicerequests.services.deadlines import warn_and_escalate

    sweep = warn_and_escalate()
    return sweep.warned + sweep.escalated
