"""The work queue on a map: open, located requests of the staff member's departments."""

from __future__ import annotations

import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.h3cells import cell_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

MAP = "/en/staff/requests/map/"
POINTS = "/en/staff/requests/map/points/"


def _located(**fields):
    return ServiceRequestFactory(
        latitude=45.51, longitude=-73.59, h3_cell=cell_for(45.51, -73.59), **fields
    )


@pytest.fixture
def requests(db):
    parks = ServiceFactory(code="tree", department__code="parks")
    return {
        "mine": _located(tracking_number="RAS-26-000001"),
        "closed": _located(
            tracking_number="RAS-26-000002",
            status=ServiceRequest.Status.REJECTED,
        ),
        "unlocated": ServiceRequestFactory(tracking_number="RAS-26-000003"),
        "other_department": _located(
            tracking_number="RAS-26-000004", service=parks, department=parks.department
        ),
    }


def test_the_points_are_the_open_located_requests_of_my_departments(client, agent, requests):
    sign_in_with_two_factor(client, agent)

    collection = client.get(POINTS).json()

    assert [f["properties"]["tracking_number"] for f in collection["features"]] == ["RAS-26-000001"]
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-73.59, 45.51]}
    assert feature["properties"]["url"] == f"/en/staff/requests/{requests['mine'].public_id}/"


def test_the_page_lists_the_same_requests_without_javascript(client, agent, requests):
    sign_in_with_two_factor(client, agent)

    page = client.get(MAP).content.decode()

    assert f'href="/en/staff/requests/{requests["mine"].public_id}/"' in page
    assert "RAS-26-000004" not in page
    assert "RAS-26-000002" not in page
    assert "1 more has none and is only in the work queue." in page
    assert 'data-points-url="/en/staff/requests/map/points/"' in page


def test_the_map_is_in_the_navigation_of_caseworkers(client, agent, requests):
    sign_in_with_two_factor(client, agent)

    page = client.get("/en/staff/requests/").content.decode()

    assert 'href="/en/staff/requests/map/"' in page


def test_staff_of_another_department_see_only_theirs(client, outside_agent, requests):
    sign_in_with_two_factor(client, outside_agent)

    collection = client.get(POINTS).json()

    assert [f["properties"]["tracking_number"] for f in collection["features"]] == ["RAS-26-000004"]


def test_a_citizen_cannot_read_the_points(client, citizen, requests):
    client.force_login(citizen)

    assert client.get(POINTS).status_code != 200
