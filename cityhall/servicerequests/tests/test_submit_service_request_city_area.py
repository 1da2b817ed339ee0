"""A request is located in the city: its districts, plus a margin, on every channel."""

from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.errors import InvalidInput
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.services import Location, submit_service_request

#: The test district: 45.50 to 45.52 north, 73.60 to 73.58 west.
SOUTH, WEST, SIZE = 45.50, -73.60, 0.02


def submit(service, reporter, location):
    return submit_service_request(
        reporter=reporter,
        service=service,
        description="Deep pothole in front of number 12.",
        answers={},
        location=location,
        channel=ServiceRequest.Channel.PORTAL,
    )


@pytest.fixture
def pothole(db):
    DistrictFactory(south=SOUTH, west=WEST, size=SIZE)
    return ServiceFactory(code="pothole", requires_location=True)


@pytest.mark.parametrize(
    "location",
    [
        Location(48.0, -70.0),  # about 300 km away
        Location(SOUTH - 0.02, WEST + SIZE / 2),  # 2.2 km south of the limit
        Location(SOUTH + SIZE / 2, WEST - 0.03),  # 2.3 km west of it
    ],
)
def test_a_point_outside_the_city_is_refused_on_the_location(pothole, citizen, location):
    with pytest.raises(InvalidInput) as error:
        submit(pothole, citizen, location)

    assert list(error.value.fields) == ["location"]
    assert "outside the city" in error.value.fields["location"][0]
    assert not ServiceRequest.objects.exists()


def test_a_point_just_past_the_city_limit_is_accepted_without_a_district(pothole, citizen):
    just_south = Location(SOUTH - 0.004, WEST + SIZE / 2)  # about 450 m

    service_request = submit(pothole, citizen, just_south)

    assert service_request.district is None


def test_a_point_in_a_district_is_accepted_in_it(pothole, citizen):
    service_request = submit(pothole, citizen, Location(SOUTH + 0.01, WEST + 0.01))

    assert service_request.district is not None


def test_without_any_district_no_point_can_be_judged_outside(db, citizen):
    service = ServiceFactory(requires_location=True)

    service_request = submit(service, citizen, Location(48.0, -70.0))

    assert service_request.latitude == 48.0
