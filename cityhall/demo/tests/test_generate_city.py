import re
from collections import Counter

import pytest
import shapely
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from cityhall.demo.generator.city import generate_city
from cityhall.demo.generator.formats import addresses_csv, districts_geojson, facilities_geojson
from cityhall.demo.generator.geography import to_lonlat
from cityhall.places.models import Facility

POSTAL_CODE = re.compile(
    r"^[ABCEGHJKLMNPRSTVXY]\d[ABCEGHJKLMNPRSTVWXYZ] \d[ABCEGHJKLMNPRSTVWXYZ]\d$"
)


@pytest.fixture(scope="module")
def city():
    return generate_city(7, residents=300, addresses=3000)


def test_the_same_seed_gives_the_same_city(city):
    again = generate_city(7, residents=300, addresses=3000)

    assert addresses_csv(again) == addresses_csv(city)
    assert districts_geojson(again) == districts_geojson(city)
    assert facilities_geojson(again) == facilities_geojson(city)
    assert again.residents == city.residents


def test_another_seed_gives_another_city(city):
    other = generate_city(8, residents=300, addresses=3000)

    assert addresses_csv(other) != addresses_csv(city)
    assert other.residents != city.residents


def test_the_city_lies_in_quebec_near_the_chosen_spot(city):
    boundary = to_lonlat(city.boundary)

    assert boundary.contains(Point(-73.365, 45.935))
    min_lon, min_lat, max_lon, max_lat = boundary.bounds
    assert -73.5 < min_lon < max_lon < -73.2
    assert 45.85 < min_lat < max_lat < 46.0


def test_districts_tile_the_city_boundary_without_overlapping(city):
    shapes = [shape(feature["geometry"]) for feature in districts_geojson(city)["features"]]
    boundary = to_lonlat(city.boundary)

    assert 8 <= len(shapes) <= 12
    assert all(district.is_valid and not district.is_empty for district in shapes)
    assert unary_union(shapes).symmetric_difference(boundary).area < boundary.area * 1e-4
    overlaps = sum(
        first.intersection(second).area
        for index, first in enumerate(shapes)
        for second in shapes[index + 1 :]
    )
    assert overlaps < boundary.area * 1e-6


def test_every_address_falls_inside_a_district(city):
    districts = districts_geojson(city)["features"]
    union = unary_union([shape(feature["geometry"]) for feature in districts])
    rows = [line.split(",") for line in addresses_csv(city).splitlines()[1:]]
    longitudes = [float(row[-1]) for row in rows]
    latitudes = [float(row[-2]) for row in rows]

    assert len(rows) == 3000
    assert shapely.contains_xy(union, longitudes, latitudes).all()
    for address in city.addresses[:200]:
        district = next(f for f in districts if f["properties"]["code"] == address.district_code)
        assert (
            shape(district["geometry"])
            .buffer(1e-6)
            .contains(Point(address.longitude, address.latitude))
        )


def test_addresses_are_unique_and_have_canadian_postal_codes(city):
    keys = Counter((a.street_name, a.civic_number, a.unit) for a in city.addresses)

    assert max(keys.values()) == 1
    assert all(POSTAL_CODE.match(address.postal_code) for address in city.addresses)
    assert len({address.source_id for address in city.addresses}) == len(city.addresses)


def test_every_place_name_has_an_english_and_a_french_form(city):
    for district in city.districts:
        assert district.name_en
        assert district.name_fr
    for facility in city.facilities:
        assert facility.name_en
        assert facility.name_fr
    assert "Vieux-Port" in {district.name_fr for district in city.districts}
    assert any(district.language == "en" for district in city.districts)


def test_streets_carry_quebec_and_english_names(city):
    names = {street.name for street in city.streets}
    french_kinds = ("rue ", "avenue ", "boulevard ", "chemin ", "montée ", "rang ", "place ")

    assert any(name.startswith(french_kinds) for name in names)
    assert any(name.endswith((" Street", " Avenue", " Road")) for name in names)
    assert len(names) == len(city.streets)


def test_facilities_are_of_known_kinds_with_fictional_phone_numbers(city):
    kinds = Counter(facility.kind for facility in city.facilities)

    assert 40 <= len(city.facilities) <= 80
    assert set(kinds) <= set(Facility.Kind.values)
    assert kinds["service_centre"] >= 1
    assert kinds["ecocentre"] == 1
    assert kinds["fire_station"] >= 1
    assert all(re.fullmatch(r"450-555-01\d\d", facility.phone) for facility in city.facilities)


def test_residents_are_mostly_french_speaking_with_example_org_addresses(city):
    languages = Counter(resident.preferred_language for resident in city.residents)
    homes = {address.source_id for address in city.addresses}

    assert len(city.residents) == 300
    assert 0.55 < languages["fr"] / len(city.residents) < 0.85
    assert len({resident.email for resident in city.residents}) == 300
    assert all(resident.email.endswith("@example.org") for resident in city.residents)
    assert all(resident.email.isascii() for resident in city.residents)
    assert all(resident.address_source_id in homes for resident in city.residents)


def test_the_demo_citizen_lives_in_the_old_port(city):
    home = next(a for a in city.addresses if a.source_id == city.demo_citizen_home)

    assert home.district_code == city.districts[0].code == "ras-vieux-port"
