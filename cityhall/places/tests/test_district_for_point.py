import pytest

from cityhall.core.errors import InvalidInput
from cityhall.core.testing import shared_data_file
from cityhall.places.selectors import district_for_point
from cityhall.places.services import import_districts
from cityhall.places.tests.factories import DistrictFactory, feature_collection, polygon_feature

pytestmark = pytest.mark.django_db


def name_at(latitude: float, longitude: float) -> str | None:
    district = district_for_point(latitude, longitude)
    return district.name if district else None


def test_a_point_inside_a_boundary_is_in_that_district():
    DistrictFactory(south=45.40, west=-73.60, size=0.05)
    verdun = DistrictFactory(name="Verdun", south=45.50, west=-73.60, size=0.05)

    assert district_for_point(45.52, -73.58) == verdun


def test_a_point_outside_every_boundary_is_in_no_district():
    DistrictFactory(south=45.50, west=-73.60, size=0.05)

    assert district_for_point(45.49, -73.58) is None
    assert district_for_point(-45.52, 73.58) is None


def test_a_point_in_the_bounding_box_but_outside_the_boundary_is_in_no_district():
    triangle = {
        "type": "Polygon",
        "coordinates": [[[-73.6, 45.5], [-73.5, 45.5], [-73.6, 45.6], [-73.6, 45.5]]],
    }
    DistrictFactory(boundary=triangle, south=45.5, west=-73.6, size=0.1)

    assert district_for_point(45.51, -73.59) is not None
    assert district_for_point(45.59, -73.51) is None


def test_where_districts_nest_the_smallest_one_holds_the_point():
    DistrictFactory(name="Borough", south=45.0, west=-74.0, size=1.0)
    neighbourhood = DistrictFactory(name="Neighbourhood", south=45.5, west=-73.6, size=0.05)

    assert district_for_point(45.52, -73.58) == neighbourhood


def test_a_reimported_boundary_is_used_at_once_despite_the_cache():
    import_districts(source=feature_collection(polygon_feature({"name": "Verdun"})), actor=None)
    assert district_for_point(45.51, -73.59) is not None

    import_districts(
        source=feature_collection(polygon_feature({"name": "Verdun"}, west=-73.50)), actor=None
    )

    assert district_for_point(45.51, -73.59) is None
    assert name_at(45.51, -73.49) == "Verdun"


def test_a_warm_lookup_costs_one_query(django_assert_num_queries):
    DistrictFactory(south=45.50, west=-73.60, size=0.05)
    district_for_point(45.52, -73.58)

    with django_assert_num_queries(1):
        district_for_point(45.52, -73.58)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("latitude", "longitude", "borough"),
    [
        (45.5748620350001, -73.661101796, "Ahuntsic-Cartierville"),  # Maison du Meunier
        (45.5225, -73.6075, "Outremont"),
        (45.5017, -73.5673, "Ville-Marie"),  # Place d'Armes
        (45.478084713, -73.60380414, "Westmount"),  # Prince Albert Square
        (45.4563407910001, -73.545935713, "Verdun"),  # Centre communautaire Elgar
    ],
)
def test_known_montreal_points_fall_in_their_borough(latitude, longitude, borough):
    import_districts(
        source=shared_data_file("montreal-boundaries/limadmin.geojson"),
        actor=None,
        name_property="NOM",
    )

    assert name_at(latitude, longitude) == borough


@pytest.mark.shared_data
def test_a_point_in_repaired_hyde_park_falls_in_hyde_park():
    import_districts(
        source=shared_data_file("boston-neighborhoods/Boston_Neighborhoods.geojson"),
        actor=None,
        name_property="Name",
    )

    # Readville St & Albemarle St, Hyde Park (a Boston 311 request's location).
    assert name_at(42.24268144216614, -71.13432270141382) == "Hyde Park"
    assert district_for_point(45.5017, -73.5673) is None


@pytest.mark.parametrize(("latitude", "longitude"), [(91, 0), (0, 181), (float("nan"), 0)])
def test_a_point_outside_wgs84_is_invalid_input(latitude, longitude):
    with pytest.raises(InvalidInput):
        district_for_point(latitude, longitude)
