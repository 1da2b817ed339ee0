"""The request form's map: its data views, the chosen spot in words, and the tile policy."""

from __future__ import annotations

import pytest

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.tests.factories import AddressFactory, DistrictFactory
from cityhall.servicerequests.models import ServiceRequest

FORM = "/en/services/streetlight/request/"


@pytest.fixture
def streetlight(db):
    return ServiceFactory(code="streetlight", name_en="Streetlight", requires_location=True)


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _form(client, **overrides):
    page = client.get(FORM).content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    return {"idempotency_key": key, "description": "The lamp is dark every night."} | overrides


def test_the_page_loads_the_packaged_map_library_and_no_outside_script(signed_in, streetlight):
    response = signed_in.get(FORM)
    page = response.content.decode()

    assert "/static/leaflet/leaflet.js" in page
    assert "/static/portal/location-picker.js" in page
    assert 'data-outlines-url="/en/map/districts/"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "https://" not in response["Content-Security-Policy"]


def test_tiles_from_another_server_are_allowed_as_images_only(signed_in, streetlight, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"

    response = signed_in.get(FORM)

    policy = response["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org;" in policy
    assert "script-src 'self';" in policy
    assert (
        'data-tile-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in response.content.decode()
    )


def test_a_spot_clicked_on_the_map_files_the_request_there(signed_in, streetlight):
    district = DistrictFactory(south=45.50, west=-73.60, size=0.02)

    signed_in.post(FORM, _form(signed_in, latitude="45.5101", longitude="-73.5902"))

    service_request = ServiceRequest.objects.get()
    assert (service_request.latitude, service_request.longitude) == (45.5101, -73.5902)
    assert service_request.district == district


def test_after_a_mistake_the_chosen_spot_is_kept_and_named(signed_in, streetlight):
    AddressFactory(civic_number="12", street_name="Rue du Moulin", latitude=45.51, longitude=-73.59)
    data = _form(signed_in, description="Dark", latitude="45.5101", longitude="-73.5901")

    page = signed_in.post(FORM, data).content.decode()

    assert 'name="latitude" value="45.5101"' in page
    assert "Chosen on the map: Near 12 Rue du Moulin." in page


def test_a_spot_far_from_any_address_is_named_by_its_coordinates(signed_in, streetlight):
    data = _form(signed_in, description="Dark", latitude="45.6", longitude="-73.7")

    page = signed_in.post(FORM, data).content.decode()

    assert "Chosen on the map: The spot at latitude 45.60000, longitude -73.70000." in page


def test_district_outlines_are_public_geojson_named_in_the_language(client, db):
    DistrictFactory(code="old-port", name="Old Port", name_fr="Vieux-Port")

    english = client.get("/en/map/districts/")
    french = client.get("/fr/map/districts/")

    assert english["Content-Type"] == "application/geo+json"
    assert "public" in english["Cache-Control"]
    feature = english.json()["features"][0]
    assert feature["properties"] == {"code": "old-port", "name": "Old Port"}
    assert feature["geometry"]["type"] == "Polygon"
    assert french.json()["features"][0]["properties"]["name"] == "Vieux-Port"


def test_district_outlines_follow_a_new_import(client, db):
    DistrictFactory(code="old-port")
    client.get("/en/map/districts/")

    DistrictFactory(code="new-town")

    codes = [f["properties"]["code"] for f in client.get("/en/map/districts/").json()["features"]]
    assert sorted(codes) == ["new-town", "old-port"]


def test_the_nearest_address_of_a_spot_is_described(client, db):
    AddressFactory(civic_number="12", street_name="Rue du Moulin", latitude=45.51, longitude=-73.59)

    near = client.get("/en/map/nearest-address/", {"latitude": "45.5101", "longitude": "-73.59"})
    french = client.get("/fr/map/nearest-address/", {"latitude": "45.5101", "longitude": "-73.59"})
    wrong = client.get("/en/map/nearest-address/", {"latitude": "north", "longitude": "-73.59"})
    off_earth = client.get("/en/map/nearest-address/", {"latitude": "91", "longitude": "0"})

    assert near.json() == {"description": "Near 12 Rue du Moulin."}
    assert "12 Rue du Moulin" in french.json()["description"]
    assert wrong.status_code == 400
    assert off_earth.status_code == 400


def test_the_address_search_answers_points_for_the_map(client, db):
    AddressFactory(civic_number="12", street_name="Rue du Moulin", latitude=45.51, longitude=-73.59)

    found = client.get("/en/map/address-search/", {"q": "12 rue du moulin"}).json()
    nothing = client.get("/en/map/address-search/", {"q": "somewhere"}).json()

    assert found == {
        "results": [
            {
                "label": "12 Rue du Moulin",
                "latitude": 45.51,
                "longitude": -73.59,
                "is_landmark": False,
            }
        ]
    }
    assert nothing == {"results": []}
