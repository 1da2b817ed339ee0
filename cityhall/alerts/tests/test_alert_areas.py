import json

import pytest
import shapely

from cityhall.alerts.areas import (
    MAX_UPLOAD_BYTES,
    area_from_circle,
    area_from_districts,
    area_from_polygon,
    area_from_upload,
)
from cityhall.alerts.models import Alert
from cityhall.core.errors import InvalidInput
from cityhall.places.tests.factories import DistrictFactory, square_boundary

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> None:
    """Two districts side by side: 45.50..45.52 N, -73.60..-73.56 E."""
    DistrictFactory(south=45.50, west=-73.60, size=0.02)
    DistrictFactory(south=45.50, west=-73.58, size=0.02)


def test_districts_give_the_union_of_their_boundaries(city: None) -> None:
    districts = list(DistrictFactory._meta.model.objects.all())
    area = area_from_districts(districts)
    assert area.kind == Alert.AreaKind.DISTRICTS
    assert area.shape.area == pytest.approx(0.02 * 0.04)
    assert set(area.districts) == set(districts)


def test_no_district_is_refused(city: None) -> None:
    with pytest.raises(InvalidInput) as raised:
        area_from_districts([])
    assert "area" in raised.value.fields


def test_a_polygon_inside_the_city_is_kept(city: None) -> None:
    area = area_from_polygon(square_boundary(south=45.505, west=-73.595, size=0.01))
    assert area.kind == Alert.AreaKind.POLYGON
    assert area.shape.bounds == pytest.approx((-73.595, 45.505, -73.585, 45.515))


def test_a_self_intersecting_polygon_is_refused(city: None) -> None:
    bow_tie = {
        "type": "Polygon",
        "coordinates": [
            [
                [-73.59, 45.505],
                [-73.57, 45.515],
                [-73.57, 45.505],
                [-73.59, 45.515],
                [-73.59, 45.505],
            ]
        ],
    }
    with pytest.raises(InvalidInput, match="crosses itself"):
        area_from_polygon(bow_tie)


def test_an_area_reaching_outside_the_city_is_refused(city: None) -> None:
    with pytest.raises(InvalidInput, match="outside the city"):
        area_from_polygon(square_boundary(south=45.51, west=-73.57, size=0.05))


def test_an_area_just_past_the_edge_is_forgiven(city: None) -> None:
    # 0.001 degree of latitude is about 110 m, within the tolerance.
    area_from_polygon(square_boundary(south=45.501, west=-73.599, size=0.0199 + 0.001))


def test_a_circle_becomes_a_polygon_of_its_radius(city: None) -> None:
    area = area_from_circle(45.51, -73.58, 0.5)
    assert area.kind == Alert.AreaKind.CIRCLE
    assert area.circle is not None
    assert area.circle.radius_km == 0.5
    south, north = area.shape.bounds[1], area.shape.bounds[3]
    assert (north - south) * 111.32 == pytest.approx(1.0, rel=0.01)
    assert area.shape.contains(shapely.Point(-73.58, 45.51))


@pytest.mark.parametrize("radius", [0, -1, 1000, float("nan")])
def test_a_circle_without_a_sensible_radius_is_refused(city: None, radius: float) -> None:
    with pytest.raises(InvalidInput):
        area_from_circle(45.51, -73.58, radius)


def test_an_uploaded_feature_collection_is_merged(city: None) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {},
            "geometry": square_boundary(south=45.50, west=-73.60, size=0.01),
        },
        {
            "type": "Feature",
            "properties": {},
            "geometry": square_boundary(south=45.50, west=-73.57, size=0.01),
        },
    ]
    upload = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    area = area_from_upload(upload)
    assert area.kind == Alert.AreaKind.UPLOAD
    assert area.shape.geom_type == "MultiPolygon"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"{not json", "not valid GeoJSON"),
        (b'{"type": "FeatureCollection", "features": []}', "no polygon"),
        (b'{"type": "Point", "coordinates": [-73.59, 45.51]}', "not a usable polygon"),
        (b" " * (MAX_UPLOAD_BYTES + 1) + b"{}", "too large"),
    ],
)
def test_empty_broken_or_huge_uploads_are_refused(city: None, upload: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        area_from_upload(upload)


def test_an_area_with_too_many_points_is_refused(city: None) -> None:
    circle = shapely.Point(-73.58, 45.51).buffer(0.005, quad_segs=6_000)
    upload = json.dumps(shapely.geometry.mapping(circle)).encode()
    with pytest.raises(InvalidInput, match="too many points"):
        area_from_upload(upload)


def test_the_stored_area_reads_back_as_the_same_shape(city: None) -> None:
    area = area_from_circle(45.51, -73.58, 0.3)
    alert = Alert(area=area.geojson())
    assert alert.area_geometry().equals(area.shape)
