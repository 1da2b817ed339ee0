"""The places API: geocoding, reverse geocoding and district lookup for authenticated callers."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cityhall.places.tests.factories import AddressFactory, DistrictFactory


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


@pytest.fixture
def plateau(db):
    district = DistrictFactory(code="plateau", name="Plateau", south=45.50, west=-73.60)
    AddressFactory(civic_number="123", street_name="Rue des Érables", district=district)
    return district


def test_an_address_is_found_despite_accents_and_abbreviations(api, plateau):
    response = api.get("/api/v1/places/geocode", {"q": "123 rue des erables"})

    matches = response.json()
    assert response.status_code == 200
    assert matches[0]["address"]["label"] == "123 Rue des Érables"
    assert matches[0]["address"]["district"]["code"] == "plateau"


def test_the_nearest_address_is_found_for_a_point_and_null_far_away(api, plateau):
    near = api.get("/api/v1/places/reverse", {"latitude": 45.5101, "longitude": -73.5901})
    far = api.get("/api/v1/places/reverse", {"latitude": 10, "longitude": 10})

    assert near.json()["address"]["civic_number"] == "123"
    assert far.json() == {"address": None}


def test_the_district_of_a_point_is_named_or_null_outside(api, plateau):
    inside = api.get("/api/v1/places/district", {"latitude": 45.51, "longitude": -73.59})
    outside = api.get("/api/v1/places/district", {"latitude": 0, "longitude": 0})

    assert inside.json()["district"] == {"code": "plateau", "name": "Plateau", "kind": ""}
    assert outside.json() == {"district": None}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"latitude": 91, "longitude": 0}, "latitude"),
        ({"latitude": 0, "longitude": -181}, "longitude"),
        ({"latitude": "north", "longitude": 0}, "latitude"),
        ({"longitude": 0}, "latitude"),
        ({"latitude": 0, "longitude": 0, "radius": 3}, "radius"),
    ],
)
def test_a_point_off_the_globe_or_malformed_is_a_400_on_that_parameter(api, db, query, field):
    response = api.get("/api/v1/places/district", query)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_geocoding_needs_a_query_and_a_sensible_limit(api, db):
    missing = api.get("/api/v1/places/geocode")
    too_many = api.get("/api/v1/places/geocode", {"q": "1 rue A", "limit": 500})

    assert missing.json()["error"]["fields"].keys() == {"q"}
    assert too_many.json()["error"]["fields"].keys() == {"limit"}


def test_anonymous_callers_are_refused(db):
    response = APIClient().get("/api/v1/places/district", {"latitude": 45.5, "longitude": -73.6})

    assert response.status_code == 401
