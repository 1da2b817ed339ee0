"""The waiting list: joining and leaving it, offering freed times, accepting and declining them.

A freed time (a cancellation, a move, an expired hold; services.py queues `offer_freed_times`
after commit) goes to the open entries of its facility and day in the order they joined: for
each, the first free slot of its service that fits its times is booked for the person through
the booking service (the same database constraint on cells) as a hold of
`settings.APPOINTMENTS_WAITING_OFFER_MINUTES`, and they are told with a signed link. Accepting
confirms the held booking; declining cancels it (which offers it to the next entry); an
unanswered hold expires as any other (services.expire_lapsed_holds), the entry lapses and the
time goes to the next. An entry made without an account is offered nothing until its email is
confirmed. Each function is one transaction with an audit line (no personal data).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.appointments.errors import (
    AlreadyWaiting,
    BeyondHorizon,
    NotBookable,
    OfferNotOpen,
    SlotNotOffered,
    SlotTaken,
    WaitingLimitReached,
    WaitingRangeNotValid,
)
from cityhall.appointments.models import (
    OPEN_STATUSES,
    Booking,
    CounterService,
    WaitingListEntry,
)
from cityhall.appointments.services import (
    cancel_booking,
    confirm_booking,
    open_booking_count,
    place_booking,
)
from cityhall.appointments.slots import Slot, city_zone, slots_between
from cityhall.appointments.tasks import send_waiting_list_notice
from cityhall.core.audit import record_audit_event
from cityhall.core.encrypted_fields import digest_lookup
from cityhall.core.errors import InvalidInput
from cityhall.places.models import Facility

#: Entries tried for one freed day: the first ones that joined, enough for several counters.
ENTRIES_TRIED = 50
Status = WaitingListEntry.Status


def _person(citizen: User | None, email: str) -> Q:
    if citizen is not None:
        return Q(citizen=citizen)
    return Q(citizen__isnull=True) & digest_lookup("contact_email_digest", email)


def _check_range(  # noqa: PLR0913 (the entry's whole wish, by keyword)
    *,
    service: CounterService,
    first_day: dt.date,
    last_day: dt.date,
    earliest_time: dt.time | None,
    latest_time: dt.time | None,
    now: dt.datetime,
) -> None:
    today = now.astimezone(city_zone()).date()
    if last_day < today or last_day < first_day:
        raise WaitingRangeNotValid
    if earliest_time is not None and latest_time is not None and latest_time <= earliest_time:
        raise WaitingRangeNotValid
    if last_day > today + dt.timedelta(days=service.booking_horizon_days):
        raise BeyondHorizon(days=service.booking_horizon_days)


def join_waiting_list(  # noqa: PLR0913 (who, what, where, which days and times)
    *,
    service: CounterService,
    facility: Facility,
    first_day: dt.date,
    last_day: dt.date,
    earliest_time: dt.time | None = None,
    latest_time: dt.time | None = None,
    citizen: User | None = None,
    contact_email: str = "",
    language: str = "en",
    now: dt.datetime | None = None,
) -> WaitingListEntry:
    """Put a signed-in citizen (or an email, to be confirmed) on the waiting list.

    Raises NotBookable, WaitingRangeNotValid, BeyondHorizon, AlreadyWaiting or
    WaitingLimitReached.
    """
    now = now or timezone.now()
    email = "" if citizen is not None else contact_email.strip()
    if citizen is None and not email:
        raise InvalidInput(fields={"contact_email": ["An email address is required."]})
    if not service.is_bookable or not facility.counters.filter(services=service).exists():
        raise NotBookable
    _check_range(
        service=service,
        first_day=first_day,
        last_day=last_day,
        earliest_time=earliest_time,
        latest_time=latest_time,
        now=now,
    )
    first_day = max(first_day, now.astimezone(city_zone()).date())
    today = now.astimezone(city_zone()).date()
    open_entries = WaitingListEntry.objects.filter(
        _person(citizen, email), status__in=OPEN_STATUSES, last_day__gte=today
    )
    if open_entries.filter(service=service, facility=facility).exists():
        raise AlreadyWaiting
    limit = settings.APPOINTMENTS_WAITING_ENTRIES_PER_PERSON
    if open_entries.count() >= limit:
        raise WaitingLimitReached(limit=limit)
    entry = WaitingListEntry(
        service=service,
        facility=facility,
        first_day=first_day,
        last_day=last_day,
        earliest_time=earliest_time,
        latest_time=latest_time,
        citizen=citizen,
        contact_email=email,
        language=language,
        status=Status.WAITING if citizen is not None else Status.AWAITING_CONFIRMATION,
    )
    try:
        with transaction.atomic():
            entry.save()
            _audit(entry, "appointments.waiting_joined", actor=citizen)
    except IntegrityError as error:
        # The same person joined in another request meanwhile (the unique open entry).
        raise AlreadyWaiting from error
    if citizen is None:
        _queue_notice(entry, "waiting_confirm")
    return entry


@transaction.atomic
def confirm_waiting_entry(
    *, entry: WaitingListEntry, now: dt.datetime | None = None
) -> WaitingListEntry:
    """Confirm the email of an entry made without an account; a second click changes nothing."""
    entry = _locked(entry)
    if entry.status != Status.AWAITING_CONFIRMATION:
        return entry
    entry.status = Status.WAITING
    entry.save(update_fields=["status", "updated_at"])
    _audit(entry, "appointments.waiting_confirmed", actor=None)
    return entry


@transaction.atomic
def leave_waiting_list(
    *, entry: WaitingListEntry, actor: AbstractBaseUser | None, now: dt.datetime | None = None
) -> WaitingListEntry:
    """Take the entry off the list; a time held for it is freed for the next. Idempotent."""
    entry = _locked(entry)
    if not entry.is_open:
        return entry
    if entry.status == Status.OFFERED and entry.offered_booking is not None:
        _release_offer(entry, actor=actor, now=now)
    entry.status = Status.LEFT
    entry.save(update_fields=["status", "updated_at"])
    _audit(entry, "appointments.waiting_left", actor=actor)
    return entry


def accept_offer(
    *, entry: WaitingListEntry, actor: AbstractBaseUser | None, now: dt.datetime | None = None
) -> Booking:
    """Book the time held for the entry: its booking is confirmed. Raises OfferNotOpen."""
    now = now or timezone.now()
    with transaction.atomic():
        entry = _locked(entry)
        booking = entry.offered_booking
        if entry.status == Status.BOOKED and booking is not None:
            return booking  # a second click
        _check_offer_open(entry, now)
        assert booking is not None  # an open offer holds its booking
        booking = confirm_booking(booking=booking, now=now)
        entry.status = Status.BOOKED
        entry.save(update_fields=["status", "updated_at"])
        _audit(entry, "appointments.waiting_accepted", actor=actor)
    return booking


@transaction.atomic
def decline_offer(
    *, entry: WaitingListEntry, actor: AbstractBaseUser | None, now: dt.datetime | None = None
) -> WaitingListEntry:
    """Give the held time back (it goes to the next entry); the entry keeps waiting for others."""
    now = now or timezone.now()
    entry = _locked(entry)
    _check_offer_open(entry, now)
    _release_offer(entry, actor=actor, now=now)
    entry.status = Status.WAITING
    entry.save(update_fields=["status", "updated_at"])
    _audit(entry, "appointments.waiting_declined", actor=actor)
    return entry


def _check_offer_open(entry: WaitingListEntry, now: dt.datetime) -> None:
    if (
        entry.status != Status.OFFERED
        or entry.offered_booking is None
        or entry.offer_expires_at is None
        or entry.offer_expires_at < now
    ):
        raise OfferNotOpen


def _release_offer(
    entry: WaitingListEntry, *, actor: AbstractBaseUser | None, now: dt.datetime | None
) -> None:
    booking = entry.offered_booking
    assert booking is not None
    entry.declined_starts_at = booking.starts_at
    entry.save(update_fields=["declined_starts_at", "updated_at"])
    if booking.is_active and booking.starts_at > (now or timezone.now()):
        cancel_booking(booking=booking, actor=actor, now=now)


def offer_freed_times(*, facility_id: int, day: dt.date, now: dt.datetime | None = None) -> int:
    """Offer the free times of `day` at the facility to its waiting entries, in joining order.

    Each entry gets at most one offer; returns how many were made.
    """
    now = now or timezone.now()
    if day < now.astimezone(city_zone()).date():
        return 0
    entries = list(
        WaitingListEntry.objects.filter(
            facility_id=facility_id, status=Status.WAITING, first_day__lte=day, last_day__gte=day
        )
        .select_related("service", "facility", "citizen")
        .order_by("created_at", "id")[:ENTRIES_TRIED]
    )
    free: dict[int, list[Slot]] = {}
    made = 0
    for entry in entries:
        if entry.service_id not in free:
            free[entry.service_id] = slots_between(
                service=entry.service, facility=entry.facility, first=day, last=day, now=now
            ).get(day, [])
        made += any(
            _offer(entry, slot, now) for slot in free[entry.service_id] if _fits(entry, slot)
        )
    return made


def _fits(entry: WaitingListEntry, slot: Slot) -> bool:
    if slot.starts_at == entry.declined_starts_at:
        return False
    starts = slot.starts_at.astimezone(city_zone()).time()
    ends = slot.ends_at.astimezone(city_zone()).time()
    if entry.earliest_time is not None and starts < entry.earliest_time:
        return False
    return entry.latest_time is None or ends <= entry.latest_time


def _offer(entry: WaitingListEntry, slot: Slot, now: dt.datetime) -> bool:
    """Hold `slot` for the entry's person and tell them; False when it cannot be done."""
    service = entry.service
    held = open_booking_count(
        service=service, citizen=entry.citizen, email=entry.contact_email, now=now
    )
    if held >= service.max_open_bookings_per_person:
        return False
    minutes = settings.APPOINTMENTS_WAITING_OFFER_MINUTES
    try:
        with transaction.atomic():
            locked = _locked(entry)
            if locked.status != Status.WAITING:
                return False
            booking = Booking(
                service=service,
                facility=entry.facility,
                starts_at=slot.starts_at,
                citizen=entry.citizen,
                contact_email=entry.contact_email if entry.citizen is None else "",
                language=entry.language,
                status=Booking.Status.AWAITING_CONFIRMATION,
                hold_expires_at=now + dt.timedelta(minutes=minutes),
            )
            place_booking(booking, service=service, facility=entry.facility, now=now)
            locked.status = Status.OFFERED
            locked.offered_booking = booking
            locked.offer_expires_at = booking.hold_expires_at
            locked.save(
                update_fields=["status", "offered_booking", "offer_expires_at", "updated_at"]
            )
            _audit(locked, "appointments.waiting_offered", actor=None)
    except (SlotTaken, SlotNotOffered):
        return False  # taken meanwhile: the caller tries the next slot
    _queue_notice(locked, "waiting_offer")
    return True


def _locked(entry: WaitingListEntry) -> WaitingListEntry:
    return (
        WaitingListEntry.objects.select_for_update(of=("self",))
        .select_related("service", "facility", "citizen", "offered_booking")
        .get(pk=entry.pk)
    )


def _audit(entry: WaitingListEntry, action: str, *, actor: AbstractBaseUser | None) -> None:
    record_audit_event(
        actor=actor,
        action=action,
        target=entry,
        data={
            "service": entry.service.code,
            "facility": str(entry.facility.public_id),
            "days": f"{entry.first_day}/{entry.last_day}",
        },
    )


def _queue_notice(entry: WaitingListEntry, event: str) -> None:
    transaction.on_commit(partial(send_waiting_list_notice.enqueue, entry.id, event))
