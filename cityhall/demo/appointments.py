"""The demo city's counters: services, hours, holidays, a closure, and bookings past and coming.

City Hall offers passports and identity cards, marriage files, permits and parking permits; the
borough service centres the same less marriages; the libraries library cards. Three months of
past bookings are written in bulk (the booking service refuses past times, as it should); the
coming ones are booked through `appointments.services.book_appointment` for residents, the demo
citizen among them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from cityhall.accounts.models import User
from cityhall.appointments.errors import BookingLimitReached, SlotTaken
from cityhall.appointments.models import (
    BookedCell,
    Booking,
    Closure,
    Counter,
    CounterService,
    OpeningHours,
    PublicHoliday,
)
from cityhall.appointments.services import book_appointment
from cityhall.appointments.slots import Slot, cells_of, city_zone, slots_between
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.places.models import Facility

PAST_DAYS = 90
COMING_BOOKINGS = 40


@dataclass(frozen=True)
class _Service:
    code: str
    names: tuple[str, str]
    documents: tuple[str, str]
    minutes: int
    access: str = CounterService.Access.BOTH
    per_person: int = 2
    horizon: int = 60


SERVICES = (
    _Service(
        "passport-id",
        ("Passport and identity card", "Passeport et carte d'identité"),
        (
            "Your current passport or identity card, two photos, proof of address.",
            "Votre passeport ou carte d'identité actuels, deux photos, une preuve d'adresse.",
        ),
        15,
    ),
    _Service(
        "marriage-file",
        ("Marriage or civil union file", "Dossier de mariage ou d'union civile"),
        (
            "Both partners' birth certificates and identity documents.",
            "Les actes de naissance et pièces d'identité des deux partenaires.",
        ),
        45,
        CounterService.Access.BOOKING,
        1,
        120,
    ),
    _Service(
        "building-permit",
        ("Building and renovation permit", "Permis de construction et de rénovation"),
        (
            "Plans of the work and the lot's certificate of location.",
            "Les plans des travaux et le certificat de localisation du terrain.",
        ),
        30,
    ),
    _Service(
        "parking-permit",
        ("Residential parking permit", "Vignette de stationnement résidentiel"),
        (
            "Vehicle registration and proof of address.",
            "Le certificat d'immatriculation et une preuve d'adresse.",
        ),
        10,
    ),
    _Service(
        "library-card",
        ("Library card", "Carte de bibliothèque"),
        ("Identity document with your address.", "Une pièce d'identité avec votre adresse."),
        10,
        CounterService.Access.BOTH,
        1,
        30,
    ),
)
CITY_HALL_ONLY = {"marriage-file"}
OFFICE_HOURS = {
    weekday: [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(16, 30))]
    for weekday in range(5)
}
OFFICE_HOURS[3] = [(dt.time(8, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(19, 0))]
LIBRARY_HOURS = {weekday: [(dt.time(10, 0), dt.time(17, 0))] for weekday in range(1, 6)}


def _holidays(year: int) -> list[tuple[dt.date, str, str]]:
    def nth_monday(month: int, nth: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(7 - first.weekday()) % 7 + 7 * (nth - 1))

    may_24 = dt.date(year, 5, 24)
    return [
        (dt.date(year, 1, 1), "New Year's Day", "Jour de l'An"),
        (
            may_24 - dt.timedelta(days=may_24.weekday()),
            "National Patriots' Day",
            "Journée nationale des patriotes",
        ),
        (dt.date(year, 6, 24), "Fête nationale", "Fête nationale du Québec"),
        (dt.date(year, 7, 1), "Canada Day", "Fête du Canada"),
        (nth_monday(9, 1), "Labour Day", "Fête du Travail"),
        (nth_monday(10, 2), "Thanksgiving", "Action de grâce"),
        (dt.date(year, 12, 25), "Christmas Day", "Noël"),
        (dt.date(year, 12, 26), "Boxing Day", "Lendemain de Noël"),
    ]


def create_demo_appointments(*, seed: int, now: dt.datetime) -> dict[str, Any]:
    """Set up the demo's counters and bookings; returns what to record for removal."""
    rng = random.Random(f"{seed}:appointments")  # noqa: S311 (reproducible demo bookings)
    services = {
        spec.code: CounterService.objects.create(
            code=spec.code,
            name_en=spec.names[0],
            name_fr=spec.names[1],
            documents_en=spec.documents[0],
            documents_fr=spec.documents[1],
            duration_minutes=spec.minutes,
            access=spec.access,
            max_open_bookings_per_person=spec.per_person,
            booking_horizon_days=spec.horizon,
            minimum_notice_minutes=120,
        )
        for spec in SERVICES
        if not CounterService.objects.filter(code=spec.code).exists()
    }
    today = now.astimezone(city_zone()).date()
    holidays = _create_holidays(today)
    offices = list(Facility.objects.filter(kind=Facility.Kind.SERVICE_CENTRE).order_by("id"))
    libraries = list(Facility.objects.filter(kind=Facility.Kind.LIBRARY).order_by("id"))
    for index, office in enumerate(offices):
        offered = [s for code, s in services.items() if code != "library-card"]
        offered = [s for s in offered if index == 0 or s.code not in CITY_HALL_ONLY]
        _equip(office, OFFICE_HOURS, offered, counters=4 if index == 0 else 2)
    for library in libraries:
        _equip(
            library, LIBRARY_HOURS, [s for s in services.values() if s.code == "library-card"], 1
        )
    if libraries:
        Closure.objects.create(
            facility=libraries[0],
            starts_on=today + dt.timedelta(days=17),
            ends_on=today + dt.timedelta(days=19),
            reason_en="Floor renovation",
            reason_fr="Rénovation des planchers",
        )
    residents = list(User.objects.filter(is_staff=False, is_active=True).order_by("id")[:400])
    places = [(office, service) for office in offices for service in _offered(office)]
    places += [(library, service) for library in libraries for service in _offered(library)]
    past = _fill_the_past(rng, places, residents, today)
    coming = _book_coming(rng, places, residents, now)
    return {
        "counter_services": list(services),
        "holidays": holidays,
        "past": past,
        "coming": coming,
    }


def _create_holidays(today: dt.date) -> list[str]:
    created = []
    for year in (today.year - 1, today.year, today.year + 1):
        for day, english, french in _holidays(year):
            if not PublicHoliday.objects.filter(day=day).exists():
                PublicHoliday.objects.create(day=day, name_en=english, name_fr=french)
                created.append(day.isoformat())
    return created


def _equip(
    facility: Facility,
    hours: dict[int, list[tuple[dt.time, dt.time]]],
    services: list[CounterService],
    counters: int,
) -> None:
    OpeningHours.objects.bulk_create(
        OpeningHours(facility=facility, weekday=weekday, opens_at=opens, closes_at=closes)
        for weekday, ranges in hours.items()
        for opens, closes in ranges
    )
    for number in range(1, counters + 1):
        counter = Counter.objects.create(facility=facility, label=str(number))
        counter.services.set(services)


def _offered(facility: Facility) -> list[CounterService]:
    return list(
        CounterService.objects.filter(counters__facility=facility).distinct().order_by("code")
    )


def _fill_the_past(
    rng: random.Random,
    places: list[tuple[Facility, CounterService]],
    residents: list[User],
    today: dt.date,
) -> int:
    """Bulk-write about half of the past slots as kept (or a few cancelled) bookings."""
    if not residents:
        return 0
    start = today - dt.timedelta(days=PAST_DAYS)
    bookings: list[Booking] = []
    cells: list[BookedCell] = []
    # A counter's time is shared by the facility's services: fill about 45% of it in all.
    shares = {facility.id: 0 for facility, _service in places}
    for facility, _service in places:
        shares[facility.id] += 1
    for facility, service in places:
        for slot, counter_id in _past_slots(facility, service, start, today):
            if rng.random() < 0.45 / shares[facility.id]:
                bookings.append(_past_booking(rng, facility, service, slot, counter_id, residents))
    Booking.objects.bulk_create(bookings, batch_size=500)
    taken: set[tuple[int, dt.datetime]] = set()
    for booking in bookings:
        if booking.status != Booking.Status.CONFIRMED:
            continue
        covered = [
            (booking.counter_id, cell) for cell in cells_of(booking.starts_at, booking.ends_at)
        ]
        if any(cell in taken for cell in covered):
            booking.status = Booking.Status.CANCELLED  # two services drew one counter's time
            continue
        taken.update(covered)
        cells.extend(BookedCell(booking=booking, counter_id=c, cell_start=s) for c, s in covered)
    Booking.objects.bulk_update(
        [b for b in bookings if b.status == Booking.Status.CANCELLED], ["status"], batch_size=500
    )
    BookedCell.objects.bulk_create(cells, batch_size=1000)
    return len(bookings)


def _past_slots(
    facility: Facility, service: CounterService, start: dt.date, today: dt.date
) -> list[tuple[Slot, int]]:
    """Every (slot, counter) of the days from `start` to yesterday, seen a day before each month."""
    found: list[tuple[Slot, int]] = []
    chunk = start
    while chunk < today:
        last = min(chunk + dt.timedelta(days=29), today - dt.timedelta(days=1))
        before = dt.datetime.combine(chunk - dt.timedelta(days=1), dt.time(0), tzinfo=city_zone())
        by_day = slots_between(
            service=service, facility=facility, first=chunk, last=last, now=before
        )
        found += [
            (slot, c) for slots in by_day.values() for slot in slots for c in slot.counter_ids
        ]
        chunk = last + dt.timedelta(days=1)
    return found


def _past_booking(  # noqa: PLR0913 (one row's parts)
    rng: random.Random,
    facility: Facility,
    service: CounterService,
    slot: Slot,
    counter_id: int,
    residents: list[User],
) -> Booking:
    cancelled = rng.random() < 0.08
    made = slot.starts_at - dt.timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
    return Booking(
        service=service,
        facility=facility,
        counter_id=counter_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        citizen=rng.choice(residents),
        status=Booking.Status.CANCELLED if cancelled else Booking.Status.CONFIRMED,
        confirmed_at=made,
        cancelled_at=made + dt.timedelta(hours=5) if cancelled else None,
        language="fr" if rng.random() < 0.6 else "en",
        day_before_reminder_at=slot.starts_at - dt.timedelta(days=1),
    )


def _book_coming(
    rng: random.Random,
    places: list[tuple[Facility, CounterService]],
    residents: list[User],
    now: dt.datetime,
) -> int:
    """Book coming appointments through the service, the demo citizen's first."""
    people = list(User.objects.filter(email=DEMO_CITIZEN_EMAIL)) + residents
    today = now.astimezone(city_zone()).date()
    booked = 0
    for index, person in enumerate(people[:COMING_BOOKINGS]):
        facility, service = places[index % len(places)] if index < 2 else rng.choice(places)
        found = slots_between(
            service=service,
            facility=facility,
            first=today + dt.timedelta(days=1),
            last=today + dt.timedelta(days=21),
            now=now,
        )
        free = [slot for day_slots in found.values() for slot in day_slots]
        if not free:
            continue
        try:
            book_appointment(
                service=service,
                facility=facility,
                starts_at=rng.choice(free).starts_at,
                citizen=person,
                language=person.preferred_language or "fr",
                now=now,
            )
        except (SlotTaken, BookingLimitReached):
            continue
        booked += 1
    return booked


def delete_demo_appointments(created: dict[str, Any]) -> None:
    """Delete the demo's bookings, services and holidays (counters go with the facilities)."""
    services = created.get("counter_services", [])
    facilities = created.get("facilities", [])
    Booking.objects.filter(
        Q(service__code__in=services) | Q(facility__source_id__in=facilities)
    ).delete()
    Counter.objects.filter(facility__source_id__in=facilities).delete()
    CounterService.objects.filter(code__in=services).delete()
    PublicHoliday.objects.filter(day__in=created.get("holidays", [])).delete()
