"""Targeting picks exactly the confirmed subscribers within the area plus its margin."""

from __future__ import annotations

import math
import random

import pytest
import shapely
from shapely.geometry import Polygon

from cityhall.alerts.targeting import (
    METRES_PER_DEGREE,
    cover,
    grown_area,
    reaches_only_test_recipients,
    recipients_in,
)
from cityhall.alerts.tests.factories import AlertSubscriberFactory

pytestmark = pytest.mark.django_db

WEST, EAST, SOUTH, NORTH = -73.62, -73.58, 45.50, 45.53
HOLE = [(-73.604, 45.511), (-73.596, 45.511), (-73.596, 45.519), (-73.604, 45.519)]
AREA = Polygon(
    [(WEST, SOUTH), (EAST, SOUTH), (EAST, NORTH), (WEST, NORTH)],
    holes=[HOLE],
)
MIDDLE_LATITUDE = AREA.centroid.y


def east_of_edge(metres: float) -> tuple[float, float]:
    """(latitude, longitude) of a point `metres` east of the area's east edge, halfway up."""
    x_scale = METRES_PER_DEGREE * math.cos(math.radians(MIDDLE_LATITUDE))
    return (SOUTH + NORTH) / 2, EAST + metres / x_scale


def at(point: tuple[float, float], **kwargs: object) -> int:
    latitude, longitude = point
    return int(AlertSubscriberFactory(latitude=latitude, longitude=longitude, **kwargs).id)


def test_a_subscriber_well_inside_is_chosen_by_cell_and_one_far_away_is_not():
    inside = at((45.525, -73.615))
    far = at((45.60, -73.40))

    found = recipients_in(AREA, margin_m=100)

    assert inside in found
    assert far not in found


def test_a_point_just_inside_the_margin_is_chosen_and_one_just_past_it_is_not():
    within = at(east_of_edge(99.0))
    beyond = at(east_of_edge(101.0))

    found = recipients_in(AREA, margin_m=100)

    assert within in found
    assert beyond not in found


def test_a_point_exactly_on_the_edge_is_chosen_without_a_margin():
    on_edge = at(((SOUTH + NORTH) / 2, EAST))
    just_outside = at(east_of_edge(1.0))

    found = recipients_in(AREA, margin_m=0)

    assert on_edge in found
    assert just_outside not in found


def test_the_middle_of_a_hole_is_left_out_but_its_rim_within_the_margin_is_not():
    middle_of_hole = at((45.515, -73.600))
    near_rim = at((45.515, -73.596 - 50 / (METRES_PER_DEGREE * math.cos(math.radians(45.515)))))

    found = recipients_in(AREA, margin_m=100)

    assert middle_of_hole not in found
    assert near_rim in found


def test_unconfirmed_subscribers_are_never_chosen():
    waiting = at((45.525, -73.615), confirmed_at=None)

    assert waiting not in recipients_in(AREA, margin_m=100)


def test_exercises_and_tests_reach_only_test_recipients():
    tester = at((45.525, -73.615), is_test_recipient=True)
    resident = at((45.525, -73.614))

    found = recipients_in(AREA, tests_only=True, margin_m=100)

    assert found == [tester]
    assert resident in recipients_in(AREA, margin_m=100)
    assert reaches_only_test_recipients("Exercise")
    assert reaches_only_test_recipients("Test")
    assert not reaches_only_test_recipients("Actual")


def test_random_points_across_many_cells_match_a_brute_force_check_exactly():
    rng = random.Random(7)
    points = [
        (rng.uniform(SOUTH - 0.01, NORTH + 0.01), rng.uniform(WEST - 0.01, EAST + 0.01))
        for _ in range(1500)
    ]
    ids = [at(point) for point in points]
    grown = grown_area(AREA, 100)
    expected = sorted(
        subscriber_id
        for subscriber_id, (lat, lon) in zip(ids, points, strict=True)
        if shapely.intersects_xy(grown, lon, lat)
    )

    assert recipients_in(AREA, margin_m=100) == expected
    assert 0 < len(expected) < len(ids)


def test_inner_cells_lie_inside_the_grown_area_and_edge_cells_straddle_it():
    found = cover(AREA, margin_m=100)

    assert found.inner
    assert found.edge
    assert not found.inner & found.edge


def test_a_negative_margin_is_refused():
    with pytest.raises(ValueError, match="negative"):
        recipients_in(AREA, margin_m=-1)
