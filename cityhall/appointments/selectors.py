"""Reads of the appointments domain: what can be booked where, free slots, and bookings.

Free slots are computed in slots.py (re-exported here); a person's bookings are reached only
through `get_booking_for_citizen` (404 for anyone else's), staff read a facility's day through
`bookings_for_facility`; a person's waiting list entries likewise (`get_waiting_entry_for_citizen`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from uuid import UUID

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.appointments.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    Booking,
    CalendarFeed,
    Closure,
    Counter,
    CounterService,
    WaitingListEntry,
)
from cityhall.appointments.slots import Slot, city_zone, next_free_slot, slot_at, slots_between
from cityhall.core.errors import NotFound
from cityhall.places.models import Facility

__all__ = [
    "Slot",
    "bookable_services",
    "bookings_for_citizen",
    "bookings_for_facility",
    "calendar_feed_token_for",
    "coming_closures",
    "facilities_offering",
    "facilities_with_counters",
    "get_booking_for_citizen",
    "get_waiting_entry_for_citizen",
    "next_free_slot",
    "slot_at",
    "slots_between",
    "waiting_entries_for_citizen",
    "waiting_list_counts",
]


def bookable_services() -> QuerySet[CounterService]:
    """Active services that take bookings and are offered at some open counter."""
    offered = Counter.objects.filter(services=OuterRef("pk"), is_open=True)
    return (
        CounterService.objects.filter(is_active=True)
        .exclude(access=CounterService.Access.WALK_IN)
        .filter(Exists(offered))
        .order_by("code")
    )


def facilities_offering(service: CounterService) -> QuerySet[Facility]:
    """The facilities where an open counter offers `service`."""
    offered = Counter.objects.filter(facility=OuterRef("pk"), services=service, is_open=True)
    return Facility.objects.filter(Exists(offered)).order_by("name_en")


def facilities_with_counters(*, days: int) -> list[Facility]:
    """Facilities that have counters, each with `upcoming`: its active bookings from now to
    `days` days ahead (one query)."""
    now = timezone.now()
    upcoming = Q(
        bookings__status__in=ACTIVE_STATUSES,
        bookings__ends_at__gt=now,
        bookings__starts_at__lt=now + dt.timedelta(days=days),
    )
    has_counters = Counter.objects.filter(facility=OuterRef("pk"))
    return list(
        Facility.objects.filter(Exists(has_counters))
        .annotate(upcoming=Count("bookings", filter=upcoming))
        .order_by("name_en")
    )


def coming_closures(facility: Facility) -> list[Closure]:
    """The facility's closures that have not ended, each with `bookings`: the active bookings
    already made on its days."""
    today = timezone.now().astimezone(city_zone()).date()
    closures = list(Closure.objects.filter(facility=facility, ends_on__gte=today))
    for closure in closures:
        closure.bookings = Booking.objects.filter(  # type: ignore[attr-defined]
            facility=facility,
            status__in=ACTIVE_STATUSES,
            starts_at__gte=dt.datetime.combine(closure.starts_on, dt.time.min, tzinfo=city_zone()),
            starts_at__lt=dt.datetime.combine(
                closure.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=city_zone()
            ),
        ).count()
    return closures


def bookings_for_citizen(citizen: User, *, upcoming: bool = True) -> QuerySet[Booking]:
    """The citizen's bookings: active and still to come, or (upcoming=False) all of them."""
    found = Booking.objects.filter(citizen=citizen).select_related("service", "facility", "counter")
    if upcoming:
        found = found.filter(status__in=ACTIVE_STATUSES, ends_at__gt=timezone.now())
    return found.order_by("starts_at")


def waiting_entries_for_citizen(citizen: User) -> QuerySet[WaitingListEntry]:
    """The citizen's open waiting list entries whose days are not over, in joining order."""
    today = timezone.now().astimezone(city_zone()).date()
    return (
        WaitingListEntry.objects.filter(
            citizen=citizen, status__in=OPEN_STATUSES, last_day__gte=today
        )
        .select_related("service", "facility", "offered_booking")
        .order_by("created_at", "id")
    )


def waiting_list_counts(facility: Facility) -> list[tuple[CounterService, int, int]]:
    """Per service of the facility with open entries: (service, waiting, offered), no person
    named (one query)."""
    today = timezone.now().astimezone(city_zone()).date()
    open_entries = Q(
        waiting_entries__facility=facility,
        waiting_entries__last_day__gte=today,
    )
    services = (
        CounterService.objects.annotate(
            waiting=Count(
                "waiting_entries",
                filter=open_entries & Q(waiting_entries__status=WaitingListEntry.Status.WAITING),
            ),
            offered=Count(
                "waiting_entries",
                filter=open_entries & Q(waiting_entries__status=WaitingListEntry.Status.OFFERED),
            ),
        )
        .filter(Q(waiting__gt=0) | Q(offered__gt=0))
        .order_by("code")
    )
    return [(service, service.waiting, service.offered) for service in services]


def get_waiting_entry_for_citizen(*, public_id: UUID | str, citizen: User) -> WaitingListEntry:
    """The citizen's own waiting list entry; NotFound (404) for anyone else's."""
    entry = (
        WaitingListEntry.objects.select_related("service", "facility", "offered_booking")
        .filter(public_id=public_id, citizen=citizen)
        .first()
    )
    if entry is None:
        raise NotFound
    return entry


def get_booking_for_citizen(*, public_id: UUID | str, citizen: User) -> Booking:
    """The citizen's own booking; NotFound (404) for anyone else's or an unknown id."""
    booking = (
        Booking.objects.select_related("service", "facility", "counter")
        .filter(public_id=public_id, citizen=citizen)
        .first()
    )
    if booking is None:
        raise NotFound
    return booking


def bookings_for_facility(
    facility: Facility, *, first: dt.datetime, last: dt.datetime
) -> QuerySet[Booking]:
    """A facility's active bookings starting from `first` to before `last`, for its staff."""
    return (
        Booking.objects.filter(
            facility=facility, status__in=ACTIVE_STATUSES, starts_at__gte=first, starts_at__lt=last
        )
        .select_related("service", "counter")
        .order_by("starts_at", "counter__label")
    )


def calendar_feed_token_for(citizen: User) -> str:
    """The citizen's secret feed token, made on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(
        citizen=citizen, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed.token


def bookings_in_feed(token: str) -> list[Booking] | None:
    """The bookings of the feed `token` names (a year back, all ahead), or None for no feed."""
    feed = CalendarFeed.objects.filter(token=token).select_related("citizen").first()
    if feed is None or not feed.citizen.is_active:
        return None
    since = timezone.now() - dt.timedelta(days=365)
    return list(
        Booking.objects.filter(citizen=feed.citizen, starts_at__gte=since)
        .exclude(status=Booking.Status.AWAITING_CONFIRMATION)
        .select_related("service", "facility")
        .order_by("starts_at")
    )
