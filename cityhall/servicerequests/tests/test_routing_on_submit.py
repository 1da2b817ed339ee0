from __future__ import annotations

import pytest

from cityhall.catalog.models import ServiceField
from cityhall.catalog.tests.factories import (
    DepartmentFactory,
    RoutingRuleFactory,
    ServiceFactory,
    ServiceFieldChoiceFactory,
)
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import Location, submit_service_request


def submit(service, citizen, *, answers=None, location=None):
    return submit_service_request(
        reporter=citizen,
        service=service,
        description="Tree branch hanging over the path.",
        answers=answers or {},
        location=location,
        channel=ServiceRequest.Channel.PORTAL,
    )


@pytest.fixture
def tree(db):
    return ServiceFactory(code="tree", department__code="public-works")


def test_a_district_rule_sends_the_request_to_its_department(tree, citizen):
    north = DistrictFactory(south=45.60, west=-73.60, size=0.02)
    parks = DepartmentFactory(code="parks")
    RoutingRuleFactory(service=tree, order=1, district=north, department=parks)

    service_request = submit(tree, citizen, location=Location(45.61, -73.59))

    assert service_request.department == parks


def test_an_answer_rule_sends_the_request_to_its_department(tree, citizen):
    choice = ServiceFieldChoiceFactory(
        field__service=tree, field__code="where", key="park",
        field__datatype=ServiceField.Datatype.SINGLE_VALUE_LIST,
    )  # fmt: skip
    parks = DepartmentFactory(code="parks")
    RoutingRuleFactory(
        service=tree, order=1, field_code="where", field_value=choice.key, department=parks
    )

    service_request = submit(tree, citizen, answers={"where": "park"})

    assert service_request.department == parks
    assert service_request.answers == {"where": "park"}


def test_without_a_matching_rule_the_service_department_takes_the_request(tree, citizen):
    DistrictFactory(south=45.50, west=-73.60, size=0.02)
    elsewhere = DistrictFactory(south=45.52, west=-73.60, size=0.02)
    RoutingRuleFactory(service=tree, order=1, district=elsewhere)

    service_request = submit(tree, citizen, location=Location(45.51, -73.59))

    assert service_request.department == tree.department
