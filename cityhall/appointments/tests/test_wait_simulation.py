"""The queue played forward over a snapshot (pure: no database)."""

import datetime as dt
from functools import partial

from cityhall.appointments.services_queue.rules import QueueRules
from cityhall.appointments.wait_estimates import simulation
from cityhall.appointments.wait_estimates.service_times import learn_service_times
from cityhall.appointments.wait_estimates.simulation import OpenCounter, QueuedVisit, Snapshot

NOW = dt.datetime(2031, 3, 4, 10, 0, tzinfo=dt.UTC)
PASSPORT, PERMIT = 1, 2
#: Every passport visit takes 10 minutes, every permit visit 30, with nothing observed yet.
TIMES = learn_service_times([], {PASSPORT: 600, PERMIT: 1800})
RULES = QueueRules(
    walk_in_bound=dt.timedelta(minutes=15),
    late_after=dt.timedelta(minutes=10),
    check_in_opens=dt.timedelta(minutes=60),
    max_open_tickets=2,
    nearly_next_count=3,
)
simulate = partial(simulation.simulate, rule=simulation.queue_call_rule(RULES))
wait_for_newcomer = partial(simulation.wait_for_newcomer, rule=simulation.queue_call_rule(RULES))


def minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def walk_ins(count, service=PASSPORT, first_id=1):
    return [
        QueuedVisit(id=first_id + n, service_id=service, joined_at=NOW - minutes(count - n))
        for n in range(count)
    ]


def counters(count, services=(PASSPORT,)):
    return [OpenCounter(id=n + 1, service_ids=frozenset(services)) for n in range(count)]


def test_people_are_called_in_turn_one_service_time_apart_at_one_counter():
    waits = simulate(Snapshot(NOW, counters(1), walk_ins(3), TIMES))

    assert waits == {1: minutes(0), 2: minutes(10), 3: minutes(20)}


def test_a_second_open_counter_halves_the_wait_ahead():
    queue = walk_ins(7)  # six people ahead of the last

    one = simulate(Snapshot(NOW, counters(1), queue, TIMES))
    two = simulate(Snapshot(NOW, counters(2), queue, TIMES))

    assert one[7] == minutes(60)
    assert two[7] == one[7] / 2


def test_a_counter_busy_with_a_visit_frees_up_when_that_visit_is_expected_to_end():
    busy = OpenCounter(
        id=1,
        service_ids=frozenset({PASSPORT}),
        current_service_id=PERMIT,
        current_since=NOW - minutes(20),
    )

    waits = simulate(Snapshot(NOW, [busy], walk_ins(1), TIMES))

    assert minutes(10) <= waits[1] < minutes(20)


def test_a_visit_longer_than_usual_is_still_expected_to_take_some_more_time():
    at_the_mean = OpenCounter(1, frozenset({PASSPORT}), PASSPORT, NOW - minutes(10))
    well_past = OpenCounter(1, frozenset({PASSPORT}), PASSPORT, NOW - minutes(40))

    assert simulate(Snapshot(NOW, [at_the_mean], walk_ins(1), TIMES))[1] > minutes(0)
    assert simulate(Snapshot(NOW, [well_past], walk_ins(1), TIMES))[1] > minutes(0)


def test_a_counter_that_does_not_offer_the_service_does_not_shorten_its_wait():
    permit_desk = OpenCounter(id=2, service_ids=frozenset({PERMIT}))

    alone = simulate(Snapshot(NOW, counters(1), walk_ins(4), TIMES))
    with_permit_desk = simulate(Snapshot(NOW, [*counters(1), permit_desk], walk_ins(4), TIMES))

    assert alone == with_permit_desk


def test_no_estimate_when_no_open_counter_offers_the_service():
    waits = simulate(Snapshot(NOW, counters(1, services=(PERMIT,)), walk_ins(2), TIMES))

    assert waits == {}
    assert wait_for_newcomer(Snapshot(NOW, [], [], TIMES), PASSPORT) is None


def test_a_priority_visit_passes_ahead_of_those_who_came_before():
    queue = [*walk_ins(3), QueuedVisit(9, PASSPORT, NOW, needs_priority=True)]

    waits = simulate(Snapshot(NOW, counters(1), queue, TIMES))

    assert waits[9] == minutes(0)
    assert waits[3] == minutes(30)


def test_an_appointment_due_soon_passes_ahead_of_walk_ins_who_have_not_waited_long():
    appointment = QueuedVisit(9, PASSPORT, NOW, due_at=NOW + minutes(5))
    queue = [*walk_ins(3), appointment]

    waits = simulate(Snapshot(NOW, counters(1), queue, TIMES))

    assert waits[9] == minutes(0)
    assert waits[3] == minutes(30)


def test_walk_ins_waiting_past_the_bound_go_before_an_appointment_due_later():
    appointment = QueuedVisit(9, PASSPORT, NOW, due_at=NOW + minutes(5))
    long_waiting = [QueuedVisit(n, PASSPORT, joined_at=NOW - minutes(30 - n)) for n in range(1, 4)]

    waits = simulate(Snapshot(NOW, counters(1), [*long_waiting, appointment], TIMES))

    assert waits[9] == minutes(30)
    assert waits[1] == minutes(0)


def test_a_booking_expected_later_lengthens_the_wait_of_walk_ins_behind_it():
    booking = QueuedVisit(9, PASSPORT, NOW + minutes(5), due_at=NOW + minutes(5), expected=True)

    without = simulate(Snapshot(NOW, counters(1), walk_ins(4), TIMES))
    with_booking = simulate(Snapshot(NOW, counters(1), [*walk_ins(4), booking], TIMES))

    assert 9 not in with_booking
    assert with_booking[4] == without[4] + minutes(10)


def test_a_booking_likely_not_to_come_weighs_less():
    def booking(chance):
        return QueuedVisit(9, PASSPORT, NOW, due_at=NOW, expected=True, show_probability=chance)

    sure = simulate(Snapshot(NOW, counters(1), [*walk_ins(2), booking(1.0)], TIMES))
    unsure = simulate(Snapshot(NOW, counters(1), [*walk_ins(2), booking(0.5)], TIMES))

    assert unsure[2] == sure[2] - minutes(5)


def test_a_visit_transferred_to_a_counter_waits_for_that_counter_only():
    queue = [
        QueuedVisit(1, PASSPORT, NOW - minutes(2)),
        QueuedVisit(2, PASSPORT, NOW - minutes(1), only_counter_id=1),
    ]
    busy_first = OpenCounter(1, frozenset({PASSPORT}), PASSPORT, NOW)

    idle_second = OpenCounter(2, frozenset({PASSPORT}))

    waits = simulate(Snapshot(NOW, [busy_first, idle_second], queue, TIMES))

    assert waits[1] == minutes(0)
    assert waits[2] == minutes(10)


def test_a_newcomer_waits_behind_everyone_already_in_line():
    snapshot = Snapshot(NOW, counters(2), walk_ins(4), TIMES)

    assert wait_for_newcomer(snapshot, PASSPORT) == minutes(20)


def test_a_counter_leaving_for_lunch_serves_its_visit_then_waits_for_its_return():
    lunch = (
        (NOW, NOW + minutes(15)),
        (NOW + minutes(60), None),
    )
    desk = OpenCounter(1, frozenset({PASSPORT}), shifts=lunch)

    waits = simulate(Snapshot(NOW, [desk], walk_ins(3), TIMES))

    # 10:00 and 10:10 before the break (the second visit ends after 10:15), then 11:00.
    assert [waits[n] for n in (1, 2, 3)] == [minutes(0), minutes(10), minutes(60)]


def test_a_counter_expected_at_the_peak_takes_its_share_once_there():
    later = OpenCounter(2, frozenset({PASSPORT}), shifts=((NOW + minutes(20), None),))

    alone = simulate(Snapshot(NOW, counters(1), walk_ins(6), TIMES))
    helped = simulate(Snapshot(NOW, [*counters(1), later], walk_ins(6), TIMES))

    assert alone[6] == minutes(50)
    assert helped[6] == minutes(30)
