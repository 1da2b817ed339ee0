"""Under concurrent requests the database, not Python, keeps each counter's time booked once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from cityhall.appointments.errors import SlotTaken
from cityhall.appointments.models import BookedCell, Booking
from cityhall.appointments.services import book_appointment
from cityhall.appointments.tests.factories import bookable_place, local

NOW = local("2031-03-03 08:00")
ATTEMPTS = 200
WORKERS = 40  # real connections at once, well under the server's max_connections


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "runs in the PostgreSQL pass (DATABASE_URL=postgres://…): real concurrent writers"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hundred_parallel_bookings_of_ten_slots_make_exactly_ten(postgres_only):
    # One counter open 9:00 to 11:30 with a 15-minute service: exactly ten slots.
    place = bookable_place(opens="09:00", closes="11:30", duration_minutes=15)
    starts = [local(f"2031-03-04 {9 + (15 * n) // 60:02d}:{(15 * n) % 60:02d}") for n in range(10)]
    start_together = threading.Barrier(WORKERS)
    outcomes: list[str] = []

    def attempt(number: int) -> None:
        if number < WORKERS:
            start_together.wait(30)
        try:
            book_appointment(
                service=place.service,
                facility=place.facility,
                starts_at=starts[number % 10],
                contact_email=f"person{number}@example.org",
                now=NOW,
            )
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(attempt, range(ATTEMPTS)))

    assert outcomes.count("booked") == 10
    assert outcomes.count("taken") == ATTEMPTS - 10
    assert Booking.objects.count() == 10
    assert sorted(Booking.objects.values_list("starts_at", flat=True)) == starts
    assert BookedCell.objects.count() == 10 * 3
