from datetime import timedelta

import pytest
import shapely
from django.utils import timezone

from cityhall.alerts.areas import area_from_circle, area_from_districts, area_from_upload
from cityhall.alerts.cap import MAX_POLYGON_POINTS, cap_document, cap_polygons
from cityhall.alerts.models import Alert
from cityhall.alerts.tests.alert_factories import AlertFactory
from cityhall.alerts.tests.cap_schema import CAP_REFS, NS, assert_valid_cap, cap_schema, parse
from cityhall.places.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return cap_schema()


def area_fields(kind: str) -> dict:
    DistrictFactory(south=45.50, west=-73.60, size=0.02)
    DistrictFactory(south=45.50, west=-73.58, size=0.02)
    if kind == "districts":
        area = area_from_districts(DistrictFactory._meta.model.objects.all())
    elif kind == "circle":
        area = area_from_circle(45.51, -73.58, 0.75)
    else:
        upload = {
            "type": "MultiPolygon",
            "coordinates": [
                [[[-73.60, 45.50], [-73.59, 45.50], [-73.59, 45.51], [-73.60, 45.50]]],
                [[[-73.57, 45.51], [-73.56, 45.51], [-73.56, 45.52], [-73.57, 45.51]]],
            ],
        }
        area = area_from_upload(str(upload).replace("'", '"'))
    fields: dict[str, object] = {"area": area.geojson(), "area_kind": area.kind}
    if area.circle:
        fields.update(
            circle_latitude=area.circle.latitude,
            circle_longitude=area.circle.longitude,
            circle_radius_km=area.circle.radius_km,
        )
    return fields


@pytest.mark.parametrize("status", Alert.Status.values)
@pytest.mark.parametrize("kind", ["districts", "circle", "upload", "polygon"])
def test_every_status_and_area_kind_gives_a_valid_document(schema, status, kind) -> None:
    fields = {} if kind == "polygon" else area_fields(kind)
    alert = AlertFactory(status=status, **fields)
    document = parse(cap_document(alert))
    assert_valid_cap(schema, document)
    assert document.findtext("cap:status", namespaces=NS) == status
    infos = document.findall("cap:info", namespaces=NS)
    assert [info.findtext("cap:language", namespaces=NS) for info in infos] == ["en-CA", "fr-CA"]
    area = infos[0].find("cap:area", namespaces=NS)
    if kind == "circle":
        assert area.findtext("cap:circle", namespaces=NS) == "45.51,-73.58 0.75"
        assert area.find("cap:polygon", namespaces=NS) is None
    else:
        expected = 2 if kind == "upload" else 1
        assert len(area.findall("cap:polygon", namespaces=NS)) == expected


@pytest.mark.parametrize("msg_type", [Alert.MsgType.UPDATE, Alert.MsgType.CANCEL])
def test_updates_and_cancellations_reference_every_earlier_message(schema, msg_type) -> None:
    first = AlertFactory(state=Alert.State.SUPERSEDED)
    second = AlertFactory(msg_type=Alert.MsgType.UPDATE, references=first)
    third = AlertFactory(msg_type=msg_type, references=second)
    document = parse(cap_document(third))
    assert_valid_cap(schema, document)
    assert document.findtext("cap:msgType", namespaces=NS) == msg_type
    references = document.findtext("cap:references", namespaces=NS).split(" ")
    assert [r.split(",")[1] for r in references] == [first.identifier, second.identifier]
    assert references[0].startswith(f"{first.sender},{first.identifier},")


def test_dates_carry_the_city_offset_even_at_utc_midnight(schema, settings) -> None:
    settings.TIME_ZONE = "UTC"
    onset = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    alert = AlertFactory(onset=onset, expires=onset + timedelta(hours=2), published_at=onset)
    document = parse(cap_document(alert))
    assert_valid_cap(schema, document)
    assert document.findtext("cap:sent", namespaces=NS).endswith("+00:00")
    assert b"Z<" not in cap_document(alert)


def test_a_detailed_polygon_is_simplified_without_shrinking(schema) -> None:
    detailed = shapely.Point(-73.58, 45.51).buffer(0.008, quad_segs=200)
    alert = AlertFactory(area=shapely.geometry.mapping(detailed))
    assert_valid_cap(schema, parse(cap_document(alert)))
    (polygon,) = cap_polygons(alert.area_geometry())
    pairs = [tuple(map(float, pair.split(","))) for pair in polygon.split(" ")]
    assert 4 <= len(pairs) <= MAX_POLYGON_POINTS
    simplified = shapely.Polygon([(lon, lat) for lat, lon in pairs])
    assert simplified.covers(detailed.buffer(-1e-6))


def test_a_polygon_with_a_hole_keeps_its_outer_ring(schema) -> None:
    outer = [[-73.60, 45.50], [-73.56, 45.50], [-73.56, 45.52], [-73.60, 45.52], [-73.60, 45.50]]
    hole = [[-73.59, 45.505], [-73.57, 45.505], [-73.57, 45.515], [-73.59, 45.505]]
    alert = AlertFactory(area={"type": "Polygon", "coordinates": [outer, hole]})
    document = parse(cap_document(alert))
    assert_valid_cap(schema, document)
    polygons = document.findall(".//cap:polygon", namespaces=NS)
    assert polygons[0].text.split(" ")[0] == "45.5,-73.6"


def test_the_samples_of_the_standard_pass_the_same_checks(schema) -> None:
    samples = sorted((CAP_REFS / "samples").glob("oasis-*.xml"))
    assert samples
    for sample in samples:
        assert schema.validate(parse(sample.read_bytes())), sample
