"""Today's queue at the demo city's counters: staff on duty, people served, called and waiting.

At City Hall and the first borough office, demo staff (the agent, the supervisor, the roads
agent) are on duty; earlier visitors of the day were served (one did not come), one person is
being served and one called, and a handful of walk-ins wait, one with a priority. Appointments
due around now are booked and checked in through the real services. Rows are written directly
(like the past bookings) so that the demo loads at any hour; the times are relative to `now`.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.appointments.errors import BookingLimitReached, SlotTaken
from cityhall.appointments.models import Counter, CounterService, CounterSession, Visit
from cityhall.appointments.services import book_appointment
from cityhall.appointments.services_queue import check_in_booking
from cityhall.appointments.services_queue.errors import CheckInNotOpen
from cityhall.appointments.services_queue.rules import local_day
from cityhall.appointments.services_queue.tickets import next_number
from cityhall.appointments.slots import city_zone, slots_between
from cityhall.demo.staff_access import AGENT_EMAIL, BURST_EMAIL, SUPERVISOR_EMAIL
from cityhall.places.models import Facility

#: Who is on duty, facility by facility (City Hall first, then the first borough office).
ON_DUTY = ((AGENT_EMAIL, SUPERVISOR_EMAIL), (BURST_EMAIL,))
SERVED_EARLIER = 6
WAITING = 7


def create_demo_queue(*, seed: int, now: dt.datetime) -> int:
    """Write today's queue at the demo's offices; returns how many visits were made."""
    rng = random.Random(f"{seed}:queue")  # noqa: S311 (a reproducible demo queue)
    offices = list(Facility.objects.filter(kind=Facility.Kind.SERVICE_CENTRE).order_by("id"))
    made = 0
    for facility, emails in zip(offices, ON_DUTY, strict=False):
        staff = list(User.objects.filter(email__in=emails, is_staff=True).order_by("email"))
        counters = list(Counter.objects.filter(facility=facility).order_by("label"))
        services = list(
            CounterService.objects.filter(counters__facility=facility)
            .exclude(access=CounterService.Access.BOOKING)
            .distinct()
            .order_by("code")
        )
        on_duty = list(zip(counters, staff, strict=False))
        if not on_duty or not services:
            continue
        made += _fill_the_day(rng, facility, services, on_duty, now)
        made += _check_in_appointments_due(rng, facility, now)
    return made


def _fill_the_day(
    rng: random.Random,
    facility: Facility,
    services: list[CounterService],
    on_duty: list[tuple[Counter, User]],
    now: dt.datetime,
) -> int:
    day = local_day(now)
    made: list[Visit] = []
    for counter, person in on_duty:
        CounterSession.objects.create(
            counter=counter, staff=person, opened_at=now - dt.timedelta(hours=3)
        )

    def visit(joined_minutes_ago: int, **fields: object) -> Visit:
        made.append(
            Visit.objects.create(
                facility=facility,
                service=rng.choice(services),
                day=day,
                number=next_number(facility=facility, day=day, kind=Visit.Kind.WALK_IN),
                kind=Visit.Kind.WALK_IN,
                channel=rng.choice([Visit.Channel.PORTAL, Visit.Channel.KIOSK]),
                language="fr" if rng.random() < 0.6 else "en",
                joined_at=now - dt.timedelta(minutes=joined_minutes_ago),
                **fields,
            )
        )
        return made[-1]

    for index in range(SERVED_EARLIER):
        joined = 170 - 22 * index
        called = now - dt.timedelta(minutes=joined - rng.randint(4, 14))
        counter, person = on_duty[index % len(on_duty)]
        no_show = index == 2
        visit(
            joined,
            status=Visit.Status.NO_SHOW if no_show else Visit.Status.SERVED,
            counter=counter,
            called_by=person,
            called_at=called,
            times_called=2 if no_show else 1,
            serving_started_at=None if no_show else called + dt.timedelta(minutes=1),
            finished_at=called + dt.timedelta(minutes=3 if no_show else rng.randint(6, 14)),
        )
    for index, (counter, person) in enumerate(on_duty):
        called = now - dt.timedelta(minutes=6 if index == 0 else 1)
        visit(
            25 + 5 * index,
            status=Visit.Status.SERVING if index == 0 else Visit.Status.CALLED,
            counter=counter,
            called_by=person,
            called_at=called,
            times_called=1,
            serving_started_at=called + dt.timedelta(minutes=1) if index == 0 else None,
        )
    for index in range(WAITING):
        visit(22 - 3 * index, needs_priority=index == WAITING - 2)
    return len(made)


def _check_in_appointments_due(rng: random.Random, facility: Facility, now: dt.datetime) -> int:
    """Book two appointments due within the hour (as if made this morning) and check them in."""
    start_of_day = dt.datetime.combine(local_day(now), dt.time(0), tzinfo=city_zone())
    residents = list(User.objects.filter(is_staff=False, is_active=True).order_by("id")[:50])
    checked_in = 0
    for service in CounterService.objects.filter(counters__facility=facility).distinct():
        found = slots_between(
            service=service,
            facility=facility,
            first=start_of_day.date(),
            last=start_of_day.date(),
            now=start_of_day,
        )
        due = [
            s
            for slots in found.values()
            for s in slots
            if now - dt.timedelta(minutes=5) <= s.starts_at <= now + dt.timedelta(minutes=50)
        ]
        if not due or not residents or checked_in >= 2:
            continue
        try:
            booking = book_appointment(
                service=service,
                facility=facility,
                starts_at=rng.choice(due).starts_at,
                citizen=rng.choice(residents),
                now=start_of_day,
            )
            check_in_booking(booking=booking, actor=None, now=now)
        except (SlotTaken, BookingLimitReached, CheckInNotOpen):
            continue
        checked_in += 1
    return checked_in


def delete_demo_queue(facility_source_ids: list[str]) -> None:
    """Delete the visits and counter sessions at the demo's facilities (before their bookings,
    counters and accounts): transfers first, since a visit keeps the one it came from."""
    visits = Visit.objects.filter(facility__source_id__in=facility_source_ids)
    while visits.exists():
        visits.filter(transfers__isnull=True).delete()
    CounterSession.objects.filter(Q(counter__facility__source_id__in=facility_source_ids)).delete()
