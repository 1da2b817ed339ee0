"""Walk-in tickets: taking one (online, at the kiosk, at a counter) and cancelling it.

A ticket is refused for a service taken by appointment only or not offered at the facility,
while the facility is closed (hours, public holidays, closures), and to a person who already
holds `max_open_tickets` open ones (known by their account, email or phone; a kiosk ticket
without any contact, or one given by staff at a counter, has no one to count).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.appointments.models import OPEN_VISIT_STATUSES, CounterService, Visit
from cityhall.appointments.services_queue.common import audit, locked, offered_at, queue_moved
from cityhall.appointments.services_queue.errors import (
    FacilityClosed,
    TicketLimitReached,
    VisitNotChangeable,
    WalkInNotOffered,
)
from cityhall.appointments.services_queue.rules import is_open_at, local_day, queue_rules
from cityhall.core.encrypted_fields import digest_lookup
from cityhall.core.errors import InvalidInput
from cityhall.places.models import Facility

#: A phone number as people type it: digits, spaces, dashes, dots, brackets, a leading +.
PHONE = re.compile(r"^\+?[0-9(][0-9 ().-]{6,22}$")
PREFIXES = {Visit.Kind.WALK_IN: "A", Visit.Kind.APPOINTMENT: "R"}


def next_number(*, facility: Facility, day: dt.date, kind: str) -> str:
    """The next ticket number of `facility` on `day`: a letter by kind, then a daily sequence.

    The facility's row is locked for the rest of the transaction, so two tickets taken at once
    get two numbers; the unique constraint stands behind it.
    """
    Facility.objects.select_for_update().filter(pk=facility.pk).first()
    issued = Visit.objects.filter(facility=facility, day=day, transferred_from__isnull=True).count()
    return f"{PREFIXES[Visit.Kind(kind)]}{issued + 1:03d}"


def _clean_contacts(email: str, phone: str) -> tuple[str, str]:
    email, phone = email.strip(), phone.strip()
    errors: dict[str, list[str]] = {}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    if phone and not PHONE.match(phone):
        errors["contact_phone"] = [_("Enter a phone number, e.g. 514 555-0123.")]
    if errors:
        raise InvalidInput(fields=errors)
    return email, re.sub(r"[^0-9+]", "", phone)


def _open_tickets(*, citizen: User | None, email: str, phone: str) -> int:
    person = Q(pk__in=[])
    if citizen is not None:
        person |= Q(citizen=citizen)
    if email:
        person |= digest_lookup("contact_email_digest", email)
    if phone:
        person |= digest_lookup("contact_phone_digest", phone)
    return Visit.objects.filter(
        person, kind=Visit.Kind.WALK_IN, status__in=OPEN_VISIT_STATUSES
    ).count()


def take_ticket(  # noqa: PLR0913 (where, what, how, for whom, how to reach them, form key)
    *,
    facility: Facility,
    service: CounterService,
    channel: str,
    actor: AbstractBaseUser | None,
    citizen: User | None = None,
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "en",
    needs_priority: bool = False,
    submission_key: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> Visit:
    """Give a walk-in ticket for `service` at `facility` now.

    `channel` is "portal" (a signed-in `citizen`, or an optional email or phone for the
    "nearly your turn" message), "kiosk", or "counter" (`actor` is the staff member who gives
    it). Submitting the same `submission_key` again returns the first ticket. Raises
    WalkInNotOffered, FacilityClosed, TicketLimitReached or InvalidInput.
    """
    earlier = _existing_submission(submission_key)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return _take(
                facility=facility,
                service=service,
                channel=channel,
                actor=actor,
                citizen=citizen,
                contact_email=contact_email,
                contact_phone=contact_phone,
                language=language,
                needs_priority=needs_priority,
                submission_key=submission_key,
                now=now or timezone.now(),
            )
    except IntegrityError:
        # The same form was submitted twice at once: the other submission's ticket stands.
        earlier = _existing_submission(submission_key)
        if earlier is None:
            raise
        return earlier


def _existing_submission(submission_key: uuid.UUID | None) -> Visit | None:
    if submission_key is None:
        return None
    return Visit.objects.filter(submission_key=submission_key).first()


def _take(  # noqa: PLR0913 (take_ticket's arguments, checked in one transaction)
    *,
    facility: Facility,
    service: CounterService,
    channel: str,
    actor: AbstractBaseUser | None,
    citizen: User | None,
    contact_email: str,
    contact_phone: str,
    language: str,
    needs_priority: bool,
    submission_key: uuid.UUID | None,
    now: dt.datetime,
) -> Visit:
    if channel not in (Visit.Channel.PORTAL, Visit.Channel.KIOSK, Visit.Channel.COUNTER):
        raise InvalidInput(fields={"channel": [_("Choose how the ticket is taken.")]})
    email, phone = _clean_contacts(contact_email, contact_phone)
    if (
        not service.is_active
        or service.access == CounterService.Access.BOOKING
        or not offered_at(service, facility)
    ):
        raise WalkInNotOffered
    if not is_open_at(facility, now):
        raise FacilityClosed
    rules = queue_rules()
    counted = channel != Visit.Channel.COUNTER and (citizen is not None or email or phone)
    if counted and _open_tickets(citizen=citizen, email=email, phone=phone) >= (
        rules.max_open_tickets
    ):
        raise TicketLimitReached(limit=rules.max_open_tickets)
    day = local_day(now)
    visit = Visit.objects.create(
        facility=facility,
        service=service,
        day=day,
        number=next_number(facility=facility, day=day, kind=Visit.Kind.WALK_IN),
        kind=Visit.Kind.WALK_IN,
        needs_priority=needs_priority,
        channel=channel,
        citizen=citizen,
        contact_email="" if citizen is not None else email,
        contact_phone="" if citizen is not None else phone,
        language=language,
        joined_at=now,
        submission_key=submission_key,
    )
    audit(visit, "ticket_taken", actor=actor, channel=channel)
    queue_moved(visit)
    return visit


@transaction.atomic
def cancel_ticket(
    *, visit: Visit, actor: AbstractBaseUser | None, now: dt.datetime | None = None
) -> Visit:
    """The holder leaves the queue (through their ticket's link or account).

    Allowed while waiting or called; cancelling twice changes nothing. Raises
    VisitNotChangeable once the visit is being served or has ended otherwise.
    """
    now = now or timezone.now()
    visit = locked(visit)
    if visit.status == Visit.Status.CANCELLED:
        return visit
    if visit.status not in (Visit.Status.WAITING, Visit.Status.CALLED):
        raise VisitNotChangeable
    visit.status, visit.finished_at = Visit.Status.CANCELLED, now
    visit.save(update_fields=["status", "finished_at", "updated_at"])
    audit(visit, "cancelled", actor=actor)
    queue_moved(visit)
    return visit
