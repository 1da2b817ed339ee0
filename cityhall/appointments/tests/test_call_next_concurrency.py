"""Counters calling next at the same moment never get the same visit (real PostgreSQL writers)."""

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue import call_next, take_ticket
from cityhall.appointments.tests.factories import bookable_place, local, staff_on_duty

NOW = local("2031-03-04 10:00")
COUNTERS = 12
WAITING = 8  # fewer than the counters: some calls must find nobody


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "runs in the PostgreSQL pass (DATABASE_URL=postgres://…): real concurrent writers"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_calling_at_once_each_get_a_different_visit(postgres_only):
    place = bookable_place(counters=COUNTERS)
    staff = [staff_on_duty(counter, at=NOW) for counter in place.counters]
    for minutes_ago in range(WAITING):
        take_ticket(
            facility=place.facility,
            service=place.service,
            channel="kiosk",
            actor=None,
            now=NOW - dt.timedelta(minutes=minutes_ago),
        )
    start_together = threading.Barrier(COUNTERS)

    def call(index: int) -> int | None:
        start_together.wait(30)
        try:
            visit = call_next(counter=place.counters[index], actor=staff[index], now=NOW)
            return visit.pk if visit is not None else None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=COUNTERS) as pool:
        called = list(pool.map(call, range(COUNTERS)))

    got = [pk for pk in called if pk is not None]
    assert len(got) == WAITING
    assert len(set(got)) == WAITING
    assert Visit.objects.filter(status=Visit.Status.CALLED).count() == WAITING
    assert Visit.objects.filter(status=Visit.Status.CALLED).values(
        "counter"
    ).distinct().count() == (WAITING)
