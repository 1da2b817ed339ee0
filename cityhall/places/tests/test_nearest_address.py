import h3
import pytest

from cityhall.core.errors import InvalidInput
from cityhall.places.h3cells import distance_m
from cityhall.places.selectors import nearest_address
from cityhall.places.services import import_addresses
from cityhall.places.tests.factories import AddressFactory, address_register
from cityhall.places.tests.montreal import address_register_from_points_of_interest

pytestmark = pytest.mark.django_db


def test_the_nearest_address_within_reach_is_returned():
    AddressFactory(civic_number="1", latitude=45.5000, longitude=-73.6000)
    near = AddressFactory(civic_number="2", latitude=45.5010, longitude=-73.6000)

    assert nearest_address(45.5009, -73.6001) == near


def test_a_lookup_reads_a_few_rings_of_cells_not_the_table(django_assert_max_num_queries):
    AddressFactory.create_batch(20, latitude=45.6, longitude=-73.7)
    near = AddressFactory(latitude=45.5001, longitude=-73.6)

    with django_assert_max_num_queries(5):
        found = nearest_address(45.5, -73.6)

    assert found == near


def test_no_address_is_returned_beyond_the_maximum_distance():
    AddressFactory(latitude=45.5000, longitude=-73.6000)

    assert nearest_address(45.5030, -73.6000, max_distance_m=300) is None
    assert nearest_address(45.5030, -73.6000, max_distance_m=400) is not None


def test_an_address_in_a_neighbouring_cell_wins_when_it_is_closer(settings):
    settings.CITYHALL_H3_RESOLUTION = 9
    origin = h3.latlng_to_cell(45.5, -73.6, 9)
    centre_lat, centre_lon = h3.cell_to_latlng(origin)
    # A point near one corner of the cell: a neighbour's address is closer than the centre's.
    corner_lat, corner_lon = h3.cell_to_boundary(origin)[0]
    query_lat = centre_lat + (corner_lat - centre_lat) * 0.95
    query_lon = centre_lon + (corner_lon - centre_lon) * 0.95
    AddressFactory(civic_number="1", latitude=centre_lat, longitude=centre_lon)
    beyond = (
        centre_lat + (corner_lat - centre_lat) * 1.1,
        centre_lon + (corner_lon - centre_lon) * 1.1,
    )
    neighbour = AddressFactory(civic_number="2", latitude=beyond[0], longitude=beyond[1])

    assert neighbour.h3_cell != origin
    assert nearest_address(query_lat, query_lon) == neighbour


def test_an_address_far_away_is_found_with_a_long_reach():
    far = AddressFactory(latitude=45.5200, longitude=-73.6000)

    assert nearest_address(45.5000, -73.6000, max_distance_m=2500) == far
    assert nearest_address(45.5000, -73.6000, max_distance_m=2000) is None


def test_the_nearest_of_many_is_the_one_at_the_smallest_distance():
    points = {str(n): (45.50 + (n % 40) * 0.0004, -73.60 + (n // 40) * 0.0005) for n in range(800)}
    rows = [
        {"id": key, "civic_number": key, "street_name": "Rue Rachel", "latitude": latitude,
         "longitude": longitude}
        for key, (latitude, longitude) in points.items()
    ]  # fmt: skip
    import_addresses(source=address_register(*rows), actor=None)

    found = nearest_address(45.5071, -73.5937)

    expected = min(points, key=lambda key: distance_m(45.5071, -73.5937, *points[key]))
    assert found is not None
    assert found.source_id == expected


@pytest.mark.shared_data
def test_a_montreal_point_of_interest_is_nearest_to_its_own_location(tmp_path):
    import_addresses(source=address_register_from_points_of_interest(tmp_path), actor=None)

    found = nearest_address(45.5748620350001, -73.661101796, max_distance_m=50)

    assert found is not None
    assert (found.civic_number, found.street_name) == ("10897", "Rue du Pont")


@pytest.mark.parametrize(("latitude", "longitude"), [(-91, 0), (0, -181), (0, float("inf"))])
def test_a_point_outside_wgs84_is_invalid_input(latitude, longitude):
    with pytest.raises(InvalidInput):
        nearest_address(latitude, longitude)
