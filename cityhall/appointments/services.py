"""Booking, confirming, rescheduling and cancelling appointments.

Each function is one transaction and writes one audit line (no personal data: the booking, the
service and the time). The database decides who gets a time: a booking writes one `BookedCell`
per grid step, unique per counter, inside a savepoint per counter tried; when every counter's
insert fails the caller gets `SlotTaken` with the next free slot (docs/decisions/0024).
Messages (confirmation, changes) are queued after commit and never undo a booking. A time freed
by a cancellation, a move or an expired hold is offered to the waiting list after commit
(waiting_list.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.appointments.errors import (
    BeyondHorizon,
    BookingLimitReached,
    BookingNotChangeable,
    HoldExpired,
    NotBookable,
    SlotNotOffered,
    SlotTaken,
    TooLittleNotice,
)
from cityhall.appointments.models import (
    ACTIVE_STATUSES,
    BookedCell,
    Booking,
    Closure,
    CounterService,
    WaitingListEntry,
)
from cityhall.appointments.slots import cells_of, city_zone, next_free_slot, slot_at
from cityhall.appointments.tasks import offer_freed_times, send_booking_notice
from cityhall.core.audit import record_audit_event
from cityhall.core.encrypted_fields import digest_lookup
from cityhall.core.errors import InvalidInput
from cityhall.places.models import Facility

#: How long a booking made without an account holds its time until its email is confirmed.
HOLD_MINUTES = 30


def _check_time(*, service: CounterService, starts_at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise InvalidInput(fields={"starts_at": ["A time zone is required."]})
    if starts_at <= now:
        raise SlotNotOffered
    if starts_at < now + dt.timedelta(minutes=service.minimum_notice_minutes):
        raise TooLittleNotice(minutes=service.minimum_notice_minutes)
    today = now.astimezone(city_zone()).date()
    if starts_at.astimezone(city_zone()).date() > today + dt.timedelta(
        days=service.booking_horizon_days
    ):
        raise BeyondHorizon(days=service.booking_horizon_days)


def _release_lapsed_holds(*, counter_id: int, cells: list[dt.datetime], now: dt.datetime) -> bool:
    """Expire unconfirmed holds past their time that sit on these cells, freeing them; False
    when there was none."""
    lapsed = list(
        Booking.objects.filter(
            cells__counter_id=counter_id,
            cells__cell_start__in=cells,
            status=Booking.Status.AWAITING_CONFIRMATION,
            hold_expires_at__lt=now,
        ).values_list("id", flat=True)
    )
    if lapsed:
        _expire(lapsed)
    return bool(lapsed)


def _take_cells(
    booking: Booking, *, counter_id: int, cells: list[dt.datetime], now: dt.datetime
) -> bool:
    """Write the booking's cells on one counter; False when another booking holds one.

    The slot search ignores holds past their expiry that the sweep has not expired yet, so a
    refused insert expires those on the cells and tries once more (rare: no query otherwise).
    """
    for retry in (False, True):
        try:
            with transaction.atomic():
                BookedCell.objects.bulk_create(
                    BookedCell(booking=booking, counter_id=counter_id, cell_start=cell)
                    for cell in cells
                )
        except IntegrityError:
            if retry or not _release_lapsed_holds(counter_id=counter_id, cells=cells, now=now):
                return False
        else:
            return True
    return False


def _expire(booking_ids: list[int]) -> int:
    lapsing = Booking.objects.filter(
        id__in=booking_ids, status=Booking.Status.AWAITING_CONFIRMATION
    )
    freed = list(lapsing.values_list("facility_id", "starts_at"))
    expired = lapsing.update(status=Booking.Status.EXPIRED, updated_at=timezone.now())
    BookedCell.objects.filter(booking_id__in=booking_ids).delete()
    # A time offered from the waiting list and left unanswered: the offer lapses with it.
    WaitingListEntry.objects.filter(
        offered_booking_id__in=booking_ids, status=WaitingListEntry.Status.OFFERED
    ).update(status=WaitingListEntry.Status.LAPSED, updated_at=timezone.now())
    for facility_id, starts_at in set(freed):
        _offer_freed_time(facility_id, starts_at)
    return expired


def place_booking(
    booking: Booking, *, service: CounterService, facility: Facility, now: dt.datetime
) -> None:
    """Save `booking` on a free counter at its time, or raise SlotTaken (or SlotNotOffered)."""
    slot = slot_at(service=service, facility=facility, starts_at=booking.starts_at, now=now)
    if slot is None:
        raise SlotNotOffered
    cells = cells_of(slot.starts_at, slot.ends_at)
    if not slot.counter_ids:
        raise SlotTaken(
            next_slot_at=_next_start(
                service=service, facility=facility, after=slot.starts_at, now=now
            )
        )
    booking.ends_at = slot.ends_at
    if booking.counter_id is None:
        booking.counter_id = slot.counter_ids[0]
    # A duplicate submission key fails here, before any counter is tried (see book_appointment).
    booking.save()
    for counter_id in slot.counter_ids:
        if not _take_cells(booking, counter_id=counter_id, cells=cells, now=now):
            continue  # another booking took this counter's time since the slot was read
        if booking.counter_id != counter_id:
            booking.counter_id = counter_id
            booking.save(update_fields=["counter", "updated_at"])
        return
    raise SlotTaken(
        next_slot_at=_next_start(service=service, facility=facility, after=slot.starts_at, now=now)
    )


def _next_start(
    *, service: CounterService, facility: Facility, after: dt.datetime, now: dt.datetime
) -> dt.datetime | None:
    found = next_free_slot(service=service, facility=facility, after=after, now=now)
    return found.starts_at if found is not None else None


def open_booking_count(
    *, service: CounterService, citizen: User | None, email: str, now: dt.datetime
) -> int:
    """How many active, future bookings of `service` the citizen (or the email) holds."""
    person = (
        Q(citizen=citizen) if citizen is not None else digest_lookup("contact_email_digest", email)
    )
    return Booking.objects.filter(
        person, service=service, status__in=ACTIVE_STATUSES, starts_at__gt=now
    ).count()


def _existing_submission(submission_key: uuid.UUID | None) -> Booking | None:
    if submission_key is None:
        return None
    return Booking.objects.filter(submission_key=submission_key).first()


def book_appointment(  # noqa: PLR0913 (who, what, where, when, and the form's one-time key)
    *,
    service: CounterService,
    facility: Facility,
    starts_at: dt.datetime,
    citizen: User | None = None,
    contact_email: str = "",
    language: str = "en",
    submission_key: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book `service` at `facility` at `starts_at` for a signed-in citizen or an email.

    A citizen's booking is confirmed at once. A booking by email only holds the time for
    HOLD_MINUTES, awaiting the confirmation link sent to that address. Submitting the same
    `submission_key` again returns the first booking. Raises NotBookable, SlotNotOffered,
    TooLittleNotice, BeyondHorizon, BookingLimitReached or SlotTaken.
    """
    now = now or timezone.now()
    earlier = _existing_submission(submission_key)
    if earlier is not None:
        return earlier
    if citizen is None and not contact_email.strip():
        raise InvalidInput(fields={"contact_email": ["An email address is required."]})
    if not service.is_bookable:
        raise NotBookable
    _check_time(service=service, starts_at=starts_at, now=now)
    open_count = open_booking_count(service=service, citizen=citizen, email=contact_email, now=now)
    if open_count >= service.max_open_bookings_per_person:
        raise BookingLimitReached(limit=service.max_open_bookings_per_person)
    booking = Booking(
        service=service,
        facility=facility,
        starts_at=starts_at,
        citizen=citizen,
        contact_email="" if citizen is not None else contact_email.strip(),
        language=language,
        submission_key=submission_key,
    )
    if citizen is not None:
        booking.status, booking.confirmed_at = Booking.Status.CONFIRMED, now
    else:
        booking.status = Booking.Status.AWAITING_CONFIRMATION
        booking.hold_expires_at = now + dt.timedelta(minutes=HOLD_MINUTES)
    try:
        with transaction.atomic():
            place_booking(booking, service=service, facility=facility, now=now)
            record_audit_event(
                actor=citizen,
                action="appointments.booked",
                target=booking,
                data=_audit_data(booking),
            )
    except IntegrityError:
        # The same form was submitted twice at once: the other submission's booking stands.
        earlier = _existing_submission(submission_key)
        if earlier is None:
            raise
        return earlier
    _queue_notice(booking, "confirmed" if citizen is not None else "confirm_email")
    return booking


def _audit_data(booking: Booking) -> dict[str, str]:
    return {
        "service": booking.service.code,
        "facility": str(booking.facility.public_id),
        "starts_at": booking.starts_at.isoformat(),
    }


def _locked(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update().select_related("service", "facility").get(pk=booking.pk)
    )


def confirm_booking(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """Confirm a booking made by email (its link was followed); a second click changes nothing.

    Raises HoldExpired when the hold lapsed first (the booking is then expired and its time
    freed), BookingNotChangeable when it was cancelled.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == Booking.Status.CONFIRMED:
            return booking
        lapsed = booking.hold_expires_at is not None and booking.hold_expires_at < now
        if booking.status == Booking.Status.AWAITING_CONFIRMATION and not lapsed:
            booking.status, booking.confirmed_at = Booking.Status.CONFIRMED, now
            booking.save(update_fields=["status", "confirmed_at", "updated_at"])
            record_audit_event(
                actor=None,
                action="appointments.confirmed",
                target=booking,
                data=_audit_data(booking),
            )
            _queue_notice(booking, "confirmed")
            return booking
        if booking.status == Booking.Status.AWAITING_CONFIRMATION:
            _expire([booking.id])  # committed: the time is freed even though this raises
    if booking.status in (Booking.Status.AWAITING_CONFIRMATION, Booking.Status.EXPIRED):
        raise HoldExpired
    raise BookingNotChangeable


@transaction.atomic
def reschedule_booking(
    *,
    booking: Booking,
    starts_at: dt.datetime,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
) -> Booking:
    """Move an active, future booking to `starts_at` (same service and facility).

    The old time is released only if the new one is taken: on any error nothing changes.
    """
    now = now or timezone.now()
    booking = _locked(booking)
    if not booking.is_active or booking.starts_at <= now:
        raise BookingNotChangeable
    if starts_at == booking.starts_at:
        return booking
    _check_time(service=booking.service, starts_at=starts_at, now=now)
    previous = booking.starts_at
    BookedCell.objects.filter(booking=booking).delete()
    booking.starts_at = starts_at
    booking.day_before_reminder_at = booking.two_hours_reminder_at = None
    place_booking(booking, service=booking.service, facility=booking.facility, now=now)
    _offer_freed_time(booking.facility_id, previous)
    record_audit_event(
        actor=actor,
        action="appointments.rescheduled",
        target=booking,
        data={**_audit_data(booking), "previous_starts_at": previous.isoformat()},
    )
    if booking.status == Booking.Status.CONFIRMED:
        _queue_notice(booking, "rescheduled")
    return booking


@transaction.atomic
def cancel_booking(
    *, booking: Booking, actor: AbstractBaseUser | None, now: dt.datetime | None = None
) -> Booking:
    """Cancel a future booking and free its time; cancelling twice changes nothing."""
    now = now or timezone.now()
    booking = _locked(booking)
    if booking.status == Booking.Status.CANCELLED:
        return booking
    if not booking.is_active or booking.starts_at <= now:
        raise BookingNotChangeable
    was_confirmed = booking.status == Booking.Status.CONFIRMED
    booking.status, booking.cancelled_at = Booking.Status.CANCELLED, now
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    BookedCell.objects.filter(booking=booking).delete()
    _offer_freed_time(booking.facility_id, booking.starts_at)
    record_audit_event(
        actor=actor, action="appointments.cancelled", target=booking, data=_audit_data(booking)
    )
    if was_confirmed:
        _queue_notice(booking, "cancelled")
    return booking


@transaction.atomic
def expire_lapsed_holds(*, now: dt.datetime | None = None) -> int:
    """Expire unconfirmed bookings whose hold has passed and free their time; returns how many."""
    now = now or timezone.now()
    lapsed = list(
        Booking.objects.filter(
            status=Booking.Status.AWAITING_CONFIRMATION, hold_expires_at__lt=now
        ).values_list("id", flat=True)[:1000]
    )
    return _expire(lapsed) if lapsed else 0


@transaction.atomic
def add_closure(  # noqa: PLR0913 (where, from, to, why in two languages, who)
    *,
    facility: Facility,
    starts_on: dt.date,
    ends_on: dt.date,
    reason_en: str,
    reason_fr: str,
    actor: AbstractBaseUser,
) -> Closure:
    """Close `facility` from `starts_on` to `ends_on` (both included): no slots are offered.

    Bookings already made on those days stay; staff see how many and tell the people.
    Raises InvalidInput when the last day comes before the first.
    """
    if ends_on < starts_on:
        raise InvalidInput(fields={"ends_on": [_("The last day cannot come before the first.")]})
    closure = Closure(
        facility=facility,
        starts_on=starts_on,
        ends_on=ends_on,
        reason_en=reason_en,
        reason_fr=reason_fr,
    )
    closure.full_clean()
    closure.save()
    record_audit_event(
        actor=actor,
        action="appointments.closure_added",
        target=closure,
        data={"facility": str(facility.public_id), "from": str(starts_on), "to": str(ends_on)},
    )
    return closure


@transaction.atomic
def remove_closure(*, closure: Closure, actor: AbstractBaseUser) -> None:
    """Open the facility again on the closure's days."""
    record_audit_event(
        actor=actor,
        action="appointments.closure_removed",
        target=closure,
        data={"facility": str(closure.facility.public_id)},
    )
    closure.delete()


def _queue_notice(booking: Booking, event: str) -> None:
    transaction.on_commit(partial(send_booking_notice.enqueue, booking.id, event))


def _offer_freed_time(facility_id: int, starts_at: dt.datetime) -> None:
    day = starts_at.astimezone(city_zone()).date().isoformat()
    transaction.on_commit(partial(offer_freed_times.enqueue, facility_id, day))
