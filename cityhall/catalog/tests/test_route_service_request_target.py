"""route_service_request_target: the department that handles a request."""

from __future__ import annotations

import pytest

from cityhall.catalog.selectors import route_service_request_target
from cityhall.catalog.tests.factories import DepartmentFactory, RoutingRuleFactory, ServiceFactory
from cityhall.places.tests.factories import DistrictFactory


@pytest.fixture
def city(db):
    parks, roads, fire = (DepartmentFactory(code=code) for code in ("parks", "roads", "fire"))
    north, south = DistrictFactory(code="north"), DistrictFactory(code="south")
    service = ServiceFactory(code="fallen-tree", department=parks)
    RoutingRuleFactory(service=service, order=1, field_code="blocking", field_value="road",
                       department=roads)  # fmt: skip
    RoutingRuleFactory(service=service, order=2, district=north, department=fire)
    RoutingRuleFactory(service=service, order=3, district=south, field_code="size",
                       field_value="large", department=roads)  # fmt: skip
    return {"service": service, "north": north, "south": south}


def _target(city, district=None, answers=None):
    department = route_service_request_target(city["service"], district=district, answers=answers)
    return department.code


def test_the_services_department_handles_what_no_rule_matches(city):
    assert _target(city) == "parks"
    assert _target(city, district=city["south"], answers={"blocking": ["sidewalk"]}) == "parks"


def test_a_rule_matches_an_answer_among_several_choices(city):
    assert _target(city, answers={"blocking": ["sidewalk", "road"]}) == "roads"


def test_a_rule_matches_a_single_answer(city):
    assert _target(city, answers={"blocking": "road"}) == "roads"


def test_a_rule_matches_a_district(city):
    assert _target(city, district=city["north"]) == "fire"


def test_the_first_matching_rule_wins(city):
    assert _target(city, district=city["north"], answers={"blocking": ["road"]}) == "roads"


def test_a_rule_with_a_district_and_a_field_needs_both(city):
    assert _target(city, district=city["south"], answers={"size": "large"}) == "roads"
    assert _target(city, district=city["north"], answers={"size": "large"}) == "fire"
    assert _target(city, answers={"size": "large"}) == "parks"
