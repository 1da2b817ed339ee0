"""The filing page's place search also finds landmarks (the city's facilities) by name."""

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.models import Facility
from cityhall.places.tests.factories import FacilityFactory
from cityhall.servicerequests.models import ServiceRequest

FORM = "/en/services/graffiti/request/"


@pytest.fixture
def graffiti(db):
    return ServiceFactory(code="graffiti", name_en="Graffiti")


@pytest.fixture
def arenas(db):
    return [
        FacilityFactory(
            name_en="Hugh McKenzie Arena",
            name_fr="Aréna Hugh-McKenzie",
            kind=Facility.Kind.ARENA,
            address_text="8 Rue du Parc",
            latitude=45.515,
            longitude=-73.585,
        ),
        FacilityFactory(
            name_en="Marie Anne Lacasse Arena",
            name_fr="Aréna Marie-Anne-Lacasse",
            kind=Facility.Kind.ARENA,
        ),
    ]


def _valid(client, **overrides):
    page = client.get(FORM).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    return {"idempotency_key": key, "description": "Tags on the back wall."} | overrides


def test_a_landmark_name_locates_the_request_at_the_facility(client, citizen, graffiti, arenas):
    client.force_login(citizen)

    response = client.post(FORM, _valid(client, address="arena mckenzi"))

    assert response.status_code == 302
    service_request = ServiceRequest.objects.get()
    assert (service_request.latitude, service_request.longitude) == (45.515, -73.585)
    assert service_request.address_text == "Hugh McKenzie Arena, 8 Rue du Parc"


def test_several_landmarks_are_offered_as_landmarks(client, citizen, graffiti, arenas):
    client.force_login(citizen)

    page = client.post(FORM, _valid(client, address="arena")).content.decode()

    assert "Which place do you mean?" in page
    assert "Hugh McKenzie Arena, 8 Rue du Parc (landmark: arena)" in page
    assert "Marie Anne Lacasse Arena (landmark: arena)" in page
    assert not ServiceRequest.objects.exists()


def test_the_map_search_marks_landmarks(client, arenas):
    found = client.get("/fr/map/address-search/", {"q": "arena hugh mckenzie"}).json()

    (result,) = found["results"]
    assert result["label"].startswith("Aréna Hugh-McKenzie, 8 Rue du Parc (")
    assert (result["latitude"], result["longitude"]) == (45.515, -73.585)
    assert result["is_landmark"] is True
