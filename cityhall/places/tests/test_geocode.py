import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityhall.core.testing import shared_data_file
from cityhall.places.selectors import geocode
from cityhall.places.services import import_addresses, import_districts
from cityhall.places.tests.factories import AddressFactory
from cityhall.places.tests.montreal import address_register_from_points_of_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    AddressFactory(civic_number="12", street_name="Rue Saint-Denis")
    AddressFactory(civic_number="12", street_name="Main Street", unit="4")


def labels(query, **kwargs):
    return [match.address.label for match in geocode(query, **kwargs)]


@pytest.mark.parametrize(
    "query",
    [
        "123 rue des erables",
        "123 Rue des Érabels",
        "123 RUE DES ÉRABLES",
        "123, rue des Érables, Montréal (Québec)",
        "123 des Érables",
        "123 r. des erables",
    ],
)
def test_geocode_tolerates_accents_case_punctuation_and_small_typos(query):
    AddressFactory(
        civic_number="123", street_name="rue des Érables", latitude=45.5, longitude=-73.6
    )
    AddressFactory(civic_number="123", street_name="rue des Pins")
    AddressFactory(civic_number="124", street_name="rue des Érables")

    matches = geocode(query)

    assert matches[0].address.label == "123 rue des Érables"
    assert (matches[0].latitude, matches[0].longitude) == (45.5, -73.6)
    assert "123 rue des Pins" not in [match.address.label for match in matches]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("456 Main St", "456 Main Street"),
        ("456 main street.", "456 Main Street"),
        ("10 boul. St-Laurent", "10 Boulevard Saint-Laurent"),
        ("10 Saint Laurent Blvd", "10 Boulevard Saint-Laurent"),
        ("22 Sherbrooke O", "22 Rue Sherbrooke Ouest"),
    ],
)
def test_geocode_folds_street_type_and_direction_abbreviations(query, expected):
    AddressFactory(civic_number="456", street_name="Main Street")
    AddressFactory(civic_number="10", street_name="Boulevard Saint-Laurent")
    AddressFactory(civic_number="22", street_name="Rue Sherbrooke Ouest")
    AddressFactory(civic_number="22", street_name="Rue Sherbrooke Est")

    assert labels(query)[:1] == [expected]


def test_geocode_reads_a_misspelt_street_type_as_the_type_without_losing_real_names():
    AddressFactory(civic_number="10", street_name="Boulevard Saint-Laurent")
    AddressFactory(civic_number="10", street_name="Rue Placer")
    AddressFactory(civic_number="10", street_name="Place Laurier")

    assert labels("10 Boulevrad St-Laurent")[:1] == ["10 Boulevard Saint-Laurent"]
    assert labels("10 Cheimn Saint-Laurent")[:1] == ["10 Boulevard Saint-Laurent"]
    assert labels("10 rue Placer")[:1] == ["10 Rue Placer"]


def test_geocode_matches_civic_numbers_with_a_letter_however_written():
    AddressFactory(civic_number="1460-B", street_name="Rue du Pont")

    assert labels("1460B rue du Pont") == ["1460-B Rue du Pont"]


def test_geocode_prefers_the_unit_named_in_the_query_then_the_building():
    AddressFactory(civic_number="5", street_name="Rue Ontario", unit="")
    AddressFactory(civic_number="5", street_name="Rue Ontario", unit="3")

    assert labels("5 rue Ontario") == ["5 Rue Ontario", "5-3 Rue Ontario"]
    assert labels("3-5 rue Ontario") == ["5-3 Rue Ontario", "5 Rue Ontario"]


def test_geocode_needs_the_exact_civic_number_and_a_street():
    AddressFactory(civic_number="123", street_name="rue des Érables")

    assert labels("321 rue des Érables") == []
    assert labels("rue des Érables") == []
    assert labels("123") == []
    assert labels("123 avenue Papineau") == []


def test_geocode_returns_at_most_limit_matches_best_first():
    for unit in "123456":
        AddressFactory(civic_number="9", street_name="Rue Rachel", unit=unit)

    matches = geocode("9 rue Rachel", limit=3)

    assert len(matches) == 3
    assert [match.score for match in matches] == sorted(
        (match.score for match in matches), reverse=True
    )


def test_geocode_reads_a_bounded_candidate_set_in_two_queries(django_assert_num_queries):
    AddressFactory.create_batch(50, civic_number="77", street_name="Rue Saint-Denis")
    AddressFactory.create_batch(50, street_name="Rue Saint-Denis")

    with django_assert_num_queries(2):
        matches = geocode("77 rue St-Denis", limit=5)

    assert len(matches) == 5
    assert {match.address.civic_number for match in matches} == {"77"}


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_geocode_never_raises_on_arbitrary_text(register, query):
    matches = geocode(f"12 {query}")

    assert isinstance(matches, list)
    assert isinstance(geocode(query), list)


@pytest.mark.shared_data
def test_geocode_finds_montreal_points_of_interest_by_their_address(tmp_path):
    import_districts(
        source=shared_data_file("montreal-boundaries/limadmin.geojson"),
        actor=None,
        name_property="NOM",
    )
    import_addresses(source=address_register_from_points_of_interest(tmp_path), actor=None)

    meunier = geocode("10897 rue du Pont, Montréal")[0].address
    acadie = geocode("9187 boul. de l'Acadie")[0].address
    typo = geocode("9187 Boulevard de l'Acadei")[0].address

    assert meunier.source_id == "1"  # Maison du Meunier
    assert meunier.district is not None
    assert meunier.district.name == "Ahuntsic-Cartierville"
    assert acadie.street_name == "Boulevard de l'Acadie"
    assert typo == acadie
