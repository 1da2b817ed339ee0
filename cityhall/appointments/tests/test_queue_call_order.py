"""The call order: earliest promise first, appointments on time against the walk-in line."""

import datetime as dt

from cityhall.appointments.models import Visit
from cityhall.appointments.services_queue.rules import QueueRules, call_order
from cityhall.appointments.tests.factories import local

RULES = QueueRules(
    walk_in_bound=dt.timedelta(minutes=15),
    late_after=dt.timedelta(minutes=10),
    check_in_opens=dt.timedelta(minutes=60),
    max_open_tickets=2,
    nearly_next_count=3,
)


def visit(number: int, joined: str, *, due: str | None = None, priority: bool = False) -> Visit:
    return Visit(
        id=number,
        number=str(number),
        joined_at=local(f"2031-03-04 {joined}"),
        due_at=local(f"2031-03-04 {due}") if due else None,
        needs_priority=priority,
    )


def numbers(visits: list[Visit]) -> list[str]:
    return [v.number for v in call_order(visits, RULES)]


def test_a_due_appointment_goes_before_walk_ins_within_the_bound():
    visits = [visit(1, "09:50"), visit(2, "09:55"), visit(3, "09:58", due="10:00")]

    # The walk-in line is promised 09:50 + 15 = 10:05; the appointment, 10:00.
    assert numbers(visits) == ["3", "1", "2"]


def test_walk_ins_waiting_past_the_bound_go_before_a_later_appointment():
    visits = [visit(1, "09:30"), visit(2, "09:58", due="10:00")]

    assert numbers(visits) == ["1", "2"]


def test_priority_walk_ins_go_first_among_walk_ins_without_losing_the_lines_place():
    visits = [visit(1, "09:30"), visit(2, "09:40", priority=True), visit(3, "09:58", due="10:00")]

    # The line, promised 09:45 since walk-in 1 arrived, still beats the appointment; its head
    # is the priority visit.
    assert numbers(visits) == ["2", "1", "3"]


def test_a_late_arrival_waits_in_the_walk_in_line_after_appointments_due():
    late = visit(1, "10:20", due="10:00")
    on_time = visit(2, "10:05", due="10:15")

    assert numbers([late, on_time]) == ["2", "1"]


def test_appointments_on_time_go_by_their_booked_time_not_their_arrival():
    visits = [visit(1, "09:40", due="10:30"), visit(2, "09:50", due="10:00")]

    assert numbers(visits) == ["2", "1"]
