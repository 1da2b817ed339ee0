"""Reading the queue: positions per service, a visit by its token, today's bookings."""

import datetime as dt

import pytest

from cityhall.accounts.tests.factories import UserFactory
from cityhall.appointments.queue_selectors import (
    counters_of,
    facility_queue,
    todays_bookings,
    visit_by_token,
    visit_position,
)
from cityhall.appointments.services import book_appointment
from cityhall.appointments.services_queue import (
    call_next,
    check_in_booking,
    take_ticket,
    transfer_visit,
)
from cityhall.appointments.tests.factories import (
    CounterFactory,
    CounterServiceFactory,
    bookable_place,
    local,
    staff_on_duty,
)
from cityhall.core.errors import NotFound

pytestmark = pytest.mark.django_db

NOW = local("2031-03-04 10:00")


def ticket(place, service=None, *, minutes_ago=0):
    return take_ticket(
        facility=place.facility,
        service=service or place.service,
        channel="kiosk",
        actor=None,
        now=NOW - dt.timedelta(minutes=minutes_ago),
    )


def test_the_queue_shows_positions_per_service_and_who_is_at_a_counter():
    place = bookable_place()
    other = CounterServiceFactory(name_en="Another service")
    CounterFactory(facility=place.facility).services.add(other)
    staff = staff_on_duty(place.counters[0], at=NOW)
    first, second = ticket(place, minutes_ago=9), ticket(place, minutes_ago=5)
    elsewhere = ticket(place, other, minutes_ago=1)
    called = call_next(counter=place.counters[0], actor=staff, now=NOW)

    queue = facility_queue(place.facility, now=NOW)

    by_service = {q.service: [(w.visit, w.position) for w in q.waiting] for q in queue.services}
    assert called == first
    assert by_service == {place.service: [(second, 1)], other: [(elsewhere, 1)]}
    assert queue.at_counters == [first]
    assert [s.counter for s in queue.open_sessions] == [place.counters[0]]
    assert queue.waiting_count == 2
    assert visit_position(second, now=NOW) == 1
    assert visit_position(first, now=NOW) is None


def test_a_token_finds_the_visit_and_follows_a_transfer():
    place = bookable_place()
    other = CounterServiceFactory()
    place.counters[0].services.add(other)
    visit = ticket(place)

    moved = transfer_visit(visit=visit, actor=UserFactory(is_staff=True), service=other, now=NOW)

    assert visit_by_token(visit.token) == moved
    with pytest.raises(NotFound):
        visit_by_token("not-a-token")
    with pytest.raises(NotFound):
        visit_by_token("")


def test_todays_bookings_come_with_their_check_in():
    place = bookable_place()
    early, later = (
        book_appointment(
            service=place.service,
            facility=place.facility,
            starts_at=local(f"2031-03-04 {time}"),
            citizen=UserFactory(),
            now=local("2031-03-01 09:00"),
        )
        for time in ("10:00", "11:00")
    )
    visit = check_in_booking(booking=early, actor=None, now=NOW)

    rows = todays_bookings(place.facility, now=NOW)

    assert [(row.booking, row.visit) for row in rows] == [(early, visit), (later, None)]


def test_counters_show_who_is_on_duty():
    place = bookable_place(counters=2)
    staff = staff_on_duty(place.counters[1], at=NOW)

    states = counters_of(place.facility)

    assert [(s.counter, s.session.staff if s.session else None) for s in states] == [
        (place.counters[0], None),
        (place.counters[1], staff),
    ]
