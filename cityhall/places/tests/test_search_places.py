import pytest
from django.utils import translation

from cityhall.places.models import Facility
from cityhall.places.selectors import search_places
from cityhall.places.tests.factories import AddressFactory, FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def landmarks():
    return {
        "library": FacilityFactory(
            name_en="Henriette Dufresne Library",
            name_fr="Bibliothèque Henriette-Dufresne",
            address_text="40 Rue Saint-Éloi",
            latitude=45.52,
            longitude=-73.58,
        ),
        "arena": FacilityFactory(
            name_en="Hugh McKenzie Arena",
            name_fr="Aréna Hugh-McKenzie",
            kind=Facility.Kind.ARENA,
        ),
        "station 2": FacilityFactory(
            name_en="Fire Station 2", name_fr="Caserne 2", kind=Facility.Kind.FIRE_STATION
        ),
        "station 3": FacilityFactory(
            name_en="Fire Station 3", name_fr="Caserne 3", kind=Facility.Kind.FIRE_STATION
        ),
        "park": FacilityFactory(
            name_en="Willow Park", name_fr="Parc des Saules", kind=Facility.Kind.PARK
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Henriette Dufresne Library", "library"),
        ("bibliotheque dufresne", "library"),
        ("BIBLIOTHÈQUE Henriete-Dufrene", "library"),
        ("arena mckenzi", "arena"),
        ("aréna hugh-mckenzie", "arena"),
        ("caserne 2", "station 2"),
        ("parc des saules", "park"),
    ],
)
def test_a_landmark_is_found_by_either_name_despite_accents_and_typos(landmarks, query, expected):
    found = search_places(query)

    assert found[0].public_id == landmarks[expected].public_id
    assert found[0].is_landmark


def test_a_close_but_different_landmark_is_left_out(landmarks):
    found = search_places("fire station 2")

    assert [match.public_id for match in found] == [landmarks["station 2"].public_id]


def test_the_result_says_it_is_a_landmark_in_the_active_language(landmarks):
    with translation.override("fr"):
        (found,) = search_places("bibliotheque dufresne")

    assert (found.latitude, found.longitude) == (45.52, -73.58)
    assert found.label == "Bibliothèque Henriette-Dufresne, 40 Rue Saint-Éloi"
    assert found.landmark_kind == "Bibliothèque"
    with translation.override("en"):
        assert "(landmark: library)" in search_places("dufresne library")[0].shown_label


def test_addresses_come_before_landmarks_and_are_not_called_landmarks(landmarks):
    address = AddressFactory(civic_number="2", street_name="Rue de la Caserne")

    found = search_places("2 rue de la caserne")

    assert found[0].public_id == address.public_id
    assert not found[0].is_landmark
    assert found[0].shown_label == found[0].label


@pytest.mark.parametrize("query", ["", "pa", "12 rue principale", "zzzzzz"])
def test_short_or_unrelated_text_finds_no_landmark(landmarks, query):
    assert search_places(query) == []


@pytest.fixture
def maple_street():
    """Rue des Érables running north: odd numbers on the west side, even on the east."""
    for number, latitude, longitude in [
        ("117", 45.5100, -73.5901),
        ("123", 45.5106, -73.5901),
        ("118", 45.5101, -73.5899),
        ("130", 45.5110, -73.5899),
    ]:
        AddressFactory(
            civic_number=number, street_name="Rue des Érables", latitude=latitude,
            longitude=longitude,
        )  # fmt: skip
    AddressFactory(civic_number="5", street_name="Avenue du Parc", latitude=45.6, longitude=-73.6)


def test_a_missing_number_is_placed_between_its_neighbours_on_its_side(maple_street):
    matches = search_places("121 rue des erables")

    estimate = matches[0]
    assert estimate.label == "121 Rue des Érables"
    assert estimate.shown_label == "121 Rue des Érables (estimated position, between 117 and 123)"
    # two thirds of the way from 117 to 123, on the odd side
    assert estimate.latitude == pytest.approx(45.5104)
    assert estimate.longitude == pytest.approx(-73.5901)


def test_the_nearest_known_numbers_and_the_street_follow_the_estimate(maple_street):
    matches = search_places("121 rue des erables")

    assert [match.shown_label for match in matches[1:]] == [
        "123 Rue des Érables (nearest known address)",
        "118 Rue des Érables (nearest known address)",
        "Rue des Érables (the street; mark the spot on the map to be precise)",
    ]


def test_without_a_neighbour_on_its_side_the_other_side_places_the_number(maple_street):
    matches = search_places("120 rue des erables")  # even: 118 below, 130 above

    assert matches[0].shown_label.startswith("120 Rue des Érables (estimated position")
    assert matches[0].latitude == pytest.approx(45.5101 + 0.0009 * 2 / 12)


def test_a_number_past_the_end_of_the_street_offers_the_closest_numbers(maple_street):
    matches = search_places("200 rue des erables")

    assert [match.label for match in matches] == [
        "130 Rue des Érables",
        "123 Rue des Érables",
        "Rue des Érables",
    ]


def test_the_street_alone_is_a_point_on_its_line(maple_street):
    (street,) = search_places("rue des érables")

    assert street.label == "Rue des Érables"
    assert 45.5100 <= street.latitude <= 45.5110
    assert -73.5901 <= street.longitude <= -73.5899


def test_an_exact_address_brings_no_estimate(maple_street):
    matches = search_places("123 rue des erables")

    assert [match.shown_label for match in matches] == ["123 Rue des Érables"]
