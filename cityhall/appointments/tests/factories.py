"""factory_boy factories and a ready-made bookable place for the appointments tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory

from cityhall.accounts.models import User
from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.models import Counter, CounterService, CounterSession, OpeningHours
from cityhall.appointments.slots import city_zone
from cityhall.places.models import Facility
from cityhall.places.tests.factories import FacilityFactory


class CounterServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounterService

    code = factory.Sequence(lambda n: f"counter-service-{n}")
    name_en = factory.Sequence(lambda n: f"Passport renewal {n}")
    name_fr = factory.Sequence(lambda n: f"Renouvellement de passeport {n}")
    documents_en = "Your current passport and two photos."
    documents_fr = "Votre passeport actuel et deux photos."
    duration_minutes = 15
    max_open_bookings_per_person = 2
    booking_horizon_days = 30
    minimum_notice_minutes = 60


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter
        skip_postgeneration_save = True

    facility = factory.SubFactory(FacilityFactory)
    label = factory.Sequence(lambda n: str(n + 1))


@dataclass
class Place:
    facility: Facility
    service: CounterService
    counters: list[Counter]


def bookable_place(
    *, counters: int = 1, opens: str = "09:00", closes: str = "12:00", **service: Any
) -> Place:
    """A facility open every day from `opens` to `closes`, with `counters` offering a service."""
    facility = FacilityFactory()
    counter_service = CounterServiceFactory(**service)
    for weekday in range(7):
        OpeningHours.objects.create(
            facility=facility,
            weekday=weekday,
            opens_at=dt.time.fromisoformat(opens),
            closes_at=dt.time.fromisoformat(closes),
        )
    made: list[Any] = []
    for _index in range(counters):
        counter = CounterFactory(facility=facility)
        counter.services.add(counter_service)
        made.append(counter)
    return Place(facility=facility, service=counter_service, counters=made)


def local(text: str) -> dt.datetime:
    """An aware time in the city's zone from 'YYYY-MM-DD HH:MM'."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=city_zone())


def staff_on_duty(counter: Counter, *, at: dt.datetime) -> User:
    """A staff member with an open session at `counter` since `at`."""
    staff = UserFactory(is_staff=True)
    CounterSession.objects.create(counter=counter, staff=staff, opened_at=at)
    return staff
