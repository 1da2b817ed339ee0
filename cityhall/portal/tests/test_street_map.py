"""The request form's streets: GeoJSON lines traced from the address register, small and cached."""

from __future__ import annotations

import gzip
import json

import pytest

from cityhall.places.tests.factories import AddressFactory

URL = "/en/map/streets/"


@pytest.fixture
def maple_street(db):
    """Rue des Érables running north, numbers on both sides, cut by a 700 m gap (a river)."""
    points = [
        ("10", 45.51000, -73.59010), ("11", 45.51000, -73.58990),
        ("20", 45.51040, -73.59010), ("21", 45.51040, -73.58990),
        ("30", 45.51080, -73.59010), ("31", 45.51080, -73.58990),
        ("80", 45.51700, -73.59010), ("81", 45.51700, -73.58990),
        ("90", 45.51740, -73.59010),
    ]  # fmt: skip
    for number, latitude, longitude in points:
        AddressFactory(
            civic_number=number, street_name="Rue des Érables", latitude=latitude,
            longitude=longitude,
        )  # fmt: skip
    AddressFactory(civic_number="10", street_name="Rue des Érables", unit="2",
                   latitude=45.51000, longitude=-73.59010)  # fmt: skip
    AddressFactory(civic_number="1", street_name="Impasse Seule", latitude=45.52, longitude=-73.58)


def test_each_street_is_a_named_line_between_its_two_sides(client, maple_street):
    body = client.get(URL).json()

    (street,) = body["features"]  # a street of one address draws no line
    assert street["properties"]["name"] == "Rue des Érables"
    assert street["geometry"]["type"] == "MultiLineString"
    first, second = street["geometry"]["coordinates"]  # broken at the gap, not bridged
    assert all(longitude == pytest.approx(-73.59, abs=0.00006) for longitude, _ in first)
    assert first[0][1] == pytest.approx(45.51)
    assert first[-1][1] == pytest.approx(45.5108)
    assert second[0][1] == pytest.approx(45.517)


def test_coordinates_have_at_most_five_decimals(client, maple_street):
    body = client.get(URL).json()

    coordinates = [
        value
        for feature in body["features"]
        for piece in feature["geometry"]["coordinates"]
        for point in piece
        for value in point
    ] + body["features"][0]["properties"]["label"]
    assert all(round(value, 5) == value for value in coordinates)


def test_the_streets_are_cached_and_compressed(client, maple_street, django_assert_max_num_queries):
    # Enough streets that compressing always pays (a tiny answer may be sent as it is).
    for index in range(20):
        for number in (2, 4, 6):
            AddressFactory(
                civic_number=str(number),
                street_name=f"Rue {index}",
                latitude=45.50 + index / 1000,
                longitude=-73.60 + number / 1000,
            )
    client.get(URL)

    with django_assert_max_num_queries(1):  # the register's version, nothing else
        response = client.get(URL, headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert json.loads(gzip.decompress(response.content))["features"]


def test_a_new_address_redraws_the_streets(client, maple_street):
    client.get(URL)

    AddressFactory(civic_number="5", street_name="Rue Neuve", latitude=45.53, longitude=-73.57)
    AddressFactory(civic_number="7", street_name="Rue Neuve", latitude=45.531, longitude=-73.57)

    names = {f["properties"]["name"] for f in client.get(URL).json()["features"]}
    assert names == {"Rue des Érables", "Rue Neuve"}
