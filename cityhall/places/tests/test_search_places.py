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
