"""The usual roster of a facility's counters, learnt from past sessions (pure: no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from cityhall.appointments.wait_estimates.roster import PastSession, learn_roster

ZONE = ZoneInfo("America/Toronto")
DAYS = [dt.date(2031, 3, day) for day in (3, 4, 5, 6, 7)]
TODAY = dt.date(2031, 3, 10)


def at(day, hhmm):
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=ZONE)


def sessions(counter, *spans, days=DAYS):
    return [PastSession(counter, at(day, a), at(day, b)) for day in days for a, b in spans]


#: Counter 1 breaks for lunch 11:30-12:15; counter 2 comes for the morning peak only.
HISTORY = [
    *sessions(1, ("08:30", "11:30"), ("12:15", "16:30")),
    *sessions(2, ("10:00", "12:00")),
]


def test_an_open_counter_is_expected_to_leave_for_its_usual_lunch_and_come_back():
    roster = learn_roster(HISTORY, ZONE)

    shifts = roster.shifts(1, at(TODAY, "10:00"), open_now=True)

    assert shifts == [(at(TODAY, "10:00"), at(TODAY, "11:30")), (at(TODAY, "12:15"), None)]


def test_the_last_desk_of_the_day_stays_until_everyone_waiting_is_served():
    roster = learn_roster(HISTORY, ZONE)

    [(_begins, ends)] = roster.shifts(1, at(TODAY, "15:00"), open_now=True)

    assert ends is None


def test_a_counter_usually_opening_later_is_expected_then():
    roster = learn_roster(HISTORY, ZONE)

    assert roster.shifts(2, at(TODAY, "09:00"), open_now=False) == [
        (at(TODAY, "10:00"), at(TODAY, "12:00"))
    ]


def test_a_counter_usually_open_by_now_but_closed_today_is_not_counted_on():
    roster = learn_roster(HISTORY, ZONE)

    assert roster.shifts(2, at(TODAY, "10:30"), open_now=False) == []


def test_a_counter_open_against_its_routine_stays_until_the_queue_is_served():
    roster = learn_roster(HISTORY, ZONE)

    assert roster.shifts(2, at(TODAY, "14:00"), open_now=True) == [(at(TODAY, "14:00"), None)]


def test_without_enough_history_open_counters_stay_and_closed_ones_are_not_expected():
    roster = learn_roster(sessions(2, ("10:00", "12:00"), days=DAYS[:2]), ZONE)

    assert roster.shifts(1, at(TODAY, "09:00"), open_now=True) == [(at(TODAY, "09:00"), None)]
    assert roster.shifts(2, at(TODAY, "09:00"), open_now=False) == []


def test_a_habit_of_fewer_than_half_the_days_is_not_the_roster():
    rare = sessions(3, ("13:00", "14:00"), days=DAYS[:2])

    roster = learn_roster([*HISTORY, *rare], ZONE)

    assert roster.shifts(3, at(TODAY, "09:00"), open_now=False) == []
