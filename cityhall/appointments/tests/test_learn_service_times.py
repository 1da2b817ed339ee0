"""Service times learnt from the visits served (pure: no database)."""

import datetime as dt

import pytest

from cityhall.appointments.wait_estimates.service_times import (
    Observation,
    learn_service_times,
    lognormal_mean_residual,
)

PASSPORT = 1


def served(seconds, counter=1, count=1):
    return [Observation(PASSPORT, counter, seconds) for _ in range(count)]


def test_with_nothing_observed_the_booked_duration_is_the_expected_time():
    times = learn_service_times([], {PASSPORT: 600})

    assert times.mean(PASSPORT) == 600
    assert times.mean(PASSPORT, counter_id=4) == 600


def test_many_observations_outweigh_the_booked_duration():
    times = learn_service_times(served(300, count=200), {PASSPORT: 600})

    assert times.mean(PASSPORT) == pytest.approx(300, rel=0.02)


def test_a_few_observations_are_shrunk_toward_the_booked_duration():
    times = learn_service_times(served(300, count=2), {PASSPORT: 600})

    assert 300 < times.mean(PASSPORT) < 600


def test_a_counter_with_a_short_record_stays_near_the_service_mean():
    observations = [*served(600, counter=1, count=100), *served(1200, counter=2, count=2)]

    times = learn_service_times(observations, {PASSPORT: 600})

    service_mean = times.mean(PASSPORT)
    assert service_mean < times.mean(PASSPORT, 2) < service_mean + 200


def test_a_slow_counter_with_a_long_record_is_expected_slow():
    observations = [*served(600, counter=1, count=100), *served(1200, counter=2, count=100)]

    times = learn_service_times(observations, {PASSPORT: 600})

    assert times.mean(PASSPORT, 2) > 1100
    assert times.mean(PASSPORT, 1) < 700


def test_one_visit_left_open_for_hours_barely_moves_the_mean():
    observations = [*served(600, count=50), *served(5 * 3600)]

    times = learn_service_times(observations, {PASSPORT: 600})

    assert times.mean(PASSPORT) < 700


def test_people_who_do_not_come_when_called_shorten_the_expected_occupancy():
    everyone_came = learn_service_times(served(600, count=50), {PASSPORT: 600})
    some_gone = learn_service_times(
        [*served(600, count=50), *[Observation(PASSPORT, 1, 60, no_show=True)] * 50],
        {PASSPORT: 600},
    )

    assert some_gone.occupancy(PASSPORT) < 0.6 * everyone_came.occupancy(PASSPORT)


def test_the_remaining_time_starts_at_the_mean_and_stays_positive_past_it():
    assert lognormal_mean_residual(600, 0.5, 0) == 600
    assert 0 < lognormal_mean_residual(600, 0.5, 300) < 600
    assert lognormal_mean_residual(600, 0.5, 1200) > 0
    assert lognormal_mean_residual(600, 0.5, 100_000) > 0


def test_the_pause_between_a_counters_visits_adds_to_each_visits_occupancy():
    start = dt.datetime(2031, 3, 4, 9, 0, tzinfo=dt.UTC)
    # Ten visits of 5 minutes called every 6 minutes, then a lunch break of an hour.
    back_to_back = [
        Observation(PASSPORT, 1, 300, called_at=start + dt.timedelta(minutes=6 * n))
        for n in range(10)
    ]
    after_lunch = Observation(PASSPORT, 1, 300, called_at=start + dt.timedelta(hours=2))

    times = learn_service_times([*back_to_back, after_lunch], {PASSPORT: 300})

    assert times.turnaround == pytest.approx(60)
    assert times.occupancy(PASSPORT) == pytest.approx(times.mean(PASSPORT) + 60)
