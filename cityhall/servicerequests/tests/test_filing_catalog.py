"""Filings keep reading the catalog and districts right once the rows are kept per process.

Transactional tests: rows read in a transaction are kept only after it commits, which the
ordinary rolled-back tests never do.
"""

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
from cityhall.servicerequests.services import Contact, Location, submit_service_request

pytestmark = pytest.mark.django_db(transaction=True)

IN_THE_NORTH = Location(45.53, -73.59)
ELSEWHERE = Location(45.51, -73.59)


def submit(service, *, answers=None, location=ELSEWHERE):
    return submit_service_request(
        reporter=None, service=service, description="Tree branch hanging over the path.",
        answers=answers or {}, location=location, contact=Contact(email="someone@example.org"),
        channel=ServiceRequest.Channel.API,
    )  # fmt: skip


@pytest.fixture
def tree():
    return ServiceFactory(code="tree", department__code="public-works")


def test_repeated_filings_are_routed_and_located_each_by_their_own_place(tree):
    north = DistrictFactory(south=45.52, west=-73.60, size=0.02)
    south = DistrictFactory(south=45.50, west=-73.60, size=0.02)
    parks = DepartmentFactory(code="parks")
    RoutingRuleFactory(service=tree, order=1, district=north, department=parks)

    routed = [submit(tree, location=place) for place in (IN_THE_NORTH, ELSEWHERE) * 2]

    assert [r.department.code for r in routed] == ["parks", "public-works"] * 2
    assert [r.district for r in routed] == [north, south] * 2


def test_repeated_filings_are_routed_each_by_their_own_answer(tree):
    field = ServiceFieldChoiceFactory(
        field__service=tree, field__code="where", key="park",
        field__datatype=ServiceField.Datatype.SINGLE_VALUE_LIST,
    ).field  # fmt: skip
    ServiceFieldChoiceFactory(field=field, key="street")
    RoutingRuleFactory(
        service=tree, order=1, field_code="where", field_value="park",
        department=DepartmentFactory(code="parks"),
    )  # fmt: skip

    routed = [submit(tree, answers={"where": where}) for where in ("park", "street") * 2]

    assert [r.department.code for r in routed] == ["parks", "public-works"] * 2


def test_a_rule_added_in_this_process_applies_to_the_next_filing(tree):
    north = DistrictFactory(south=45.52, west=-73.60, size=0.02)
    assert submit(tree, location=IN_THE_NORTH).department.code == "public-works"

    RoutingRuleFactory(
        service=tree, order=1, district=north, department=DepartmentFactory(code="parks")
    )

    assert submit(tree, location=IN_THE_NORTH).department.code == "parks"


def test_a_district_added_in_this_process_holds_the_next_filing(tree):
    assert submit(tree, location=IN_THE_NORTH).district is None

    north = DistrictFactory(south=45.52, west=-73.60, size=0.02)

    assert submit(tree, location=IN_THE_NORTH).district == north
