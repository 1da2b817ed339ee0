import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityhall.core.errors import InvalidInput
from cityhall.core.models import AuditEvent
from cityhall.core.testing import shared_data_file
from cityhall.places.errors import ImportFailed
from cityhall.places.models import District
from cityhall.places.services import import_districts
from cityhall.places.tests.factories import (
    AddressFactory,
    DistrictFactory,
    FacilityFactory,
    feature_collection,
    point_feature,
    polygon_feature,
)

pytestmark = pytest.mark.django_db


def problems_of(error: pytest.ExceptionInfo[ImportFailed]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_import_creates_districts_with_their_bounding_box_and_slugified_code(admin):
    source = feature_collection(
        polygon_feature({"name": "Côte-des-Neiges", "nom": "Côte-des-Neiges (fr)", "type": "B"}),
    )

    report = import_districts(
        source=source, actor=admin, name_fr_property="nom", kind_property="type"
    )

    assert (report.created, report.updated) == (1, 0)
    district = District.objects.get()
    assert district.code == "cote-des-neiges"
    assert (district.name_fr, district.kind) == ("Côte-des-Neiges (fr)", "B")
    assert (district.min_latitude, district.max_latitude) == pytest.approx((45.50, 45.52))
    assert (district.min_longitude, district.max_longitude) == pytest.approx((-73.60, -73.58))
    assert district.centroid_latitude == pytest.approx(45.51)


def test_import_reads_the_code_from_the_code_property(admin):
    source = feature_collection(polygon_feature({"name": "Outremont", "CODEID": 11}))

    import_districts(source=source, actor=admin, code_property="CODEID")

    assert District.objects.get().code == "11"


def test_reimporting_the_same_code_updates_instead_of_duplicating(admin):
    import_districts(source=feature_collection(polygon_feature({"name": "Verdun"})), actor=admin)
    first = District.objects.get()

    report = import_districts(
        source=feature_collection(polygon_feature({"name": "Verdun"}, south=45.40)), actor=admin
    )

    district = District.objects.get()
    assert (report.created, report.updated) == (0, 1)
    assert district.public_id == first.public_id
    assert district.min_latitude == pytest.approx(45.40)
    assert district.updated_at > first.updated_at


def test_reimporting_an_identical_file_changes_nothing(admin):
    import_districts(source=feature_collection(polygon_feature({"name": "Verdun"})), actor=admin)

    report = import_districts(
        source=feature_collection(polygon_feature({"name": "Verdun"})), actor=admin
    )

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_import_is_audited_with_its_actor_and_counts(admin):
    import_districts(source=feature_collection(polygon_feature({"name": "Verdun"})), actor=admin)

    event = AuditEvent.objects.get(action="places.districts_imported")
    assert event.actor == admin
    assert event.data["created"] == 1


def test_import_rejects_a_point_where_a_polygon_is_expected(admin):
    source = feature_collection(polygon_feature({"name": "A"}), point_feature({"name": "B"}))

    with pytest.raises(ImportFailed) as error:
        import_districts(source=source, actor=admin)

    assert problems_of(error) == [
        "feature #1: expected a Polygon or MultiPolygon geometry, found Point"
    ]
    assert not District.objects.exists()


def test_a_rejected_file_is_invalid_input_listing_its_problems_as_field_errors(admin):
    source = feature_collection(point_feature({"name": "A"}), point_feature({"name": "B"}))

    with pytest.raises(InvalidInput) as error:
        import_districts(source=source, actor=admin)

    assert error.value.code == "import_failed"
    assert error.value.status == 400
    assert len(error.value.fields["source"]) == 2


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ([[-73.6, 45.5], [-73.5, 45.5], [-73.5, 45.6], [-73.6, 45.6]], "ring 0 is not closed"),
        ([[-73.6, 45.5], [-73.5, 45.5], [-73.6, 45.5]], "ring 0 needs at least 4 positions"),
        ([[-73.6, 95], [-73.5, 45.5], [-73.5, 45.6], [-73.6, 95]], "latitude 95 is outside"),
        ([[-190, 45], [-73.5, 45.5], [-73.5, 45.6], [-190, 45]], "longitude -190 is outside"),
        ([[-73.6, "x"], [-73.5, 45.5], [-73.5, 45.6], [-73.6, "x"]], "must be finite numbers"),
        ([[-73.6], [-73.5, 45.5], [-73.5, 45.6], [-73.6]], "must be [longitude, latitude]"),
    ],
)
def test_import_rejects_malformed_rings_and_coordinates_outside_wgs84(admin, ring, message):
    feature = {
        "type": "Feature",
        "properties": {"name": "Bad"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }

    with pytest.raises(ImportFailed) as error:
        import_districts(source=feature_collection(feature), actor=admin)

    [problem] = problems_of(error)
    assert problem.startswith("feature #0: ")
    assert message in problem


def test_import_rejects_features_without_a_name_or_with_a_repeated_code(admin):
    source = feature_collection(
        polygon_feature({"name": "Verdun"}),
        polygon_feature({"other": "x"}),
        polygon_feature({"name": "verdun"}),
    )

    with pytest.raises(ImportFailed) as error:
        import_districts(source=source, actor=admin)

    assert problems_of(error) == [
        "feature #1: the name property 'name' is missing",
        "feature #2: the code 'verdun' is already used by feature #0",
    ]


def test_import_rejects_a_feature_missing_the_code_property(admin):
    source = feature_collection(polygon_feature({"name": "Verdun"}))

    with pytest.raises(ImportFailed) as error:
        import_districts(source=source, actor=admin, code_property="CODEID")

    assert problems_of(error) == ["feature #0: the code property 'CODEID' is missing"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "the file is not valid JSON (line 1, column 2"),
        ('{"type": "Feature"}', "the file is not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": {}}', "has no list of features"),
        ('{"type": "FeatureCollection", "features": []}', "the file has no features"),
        ('{"type": "FeatureCollection", "features": [42]}', "feature #0: this is not a GeoJSON"),
    ],
)
def test_import_rejects_files_that_are_not_feature_collections(admin, text, message):
    with pytest.raises(ImportFailed) as error:
        import_districts(source=io.StringIO(text), actor=admin)

    assert message in problems_of(error)[0]


def test_a_file_with_one_bad_feature_leaves_existing_districts_untouched(admin):
    existing = DistrictFactory(code="verdun", name="Verdun")
    source = feature_collection(
        polygon_feature({"name": "Verdun"}, south=10), polygon_feature({"name": "New"}),
        point_feature({"name": "Bad"}),
    )  # fmt: skip

    with pytest.raises(ImportFailed):
        import_districts(source=source, actor=admin)

    assert list(District.objects.values_list("code", flat=True)) == ["verdun"]
    assert District.objects.get().min_latitude == existing.min_latitude
    assert not AuditEvent.objects.filter(action="places.districts_imported").exists()


def test_a_self_intersecting_boundary_is_repaired_and_counted(admin):
    bowtie = [[-73.6, 45.5], [-73.5, 45.6], [-73.5, 45.5], [-73.6, 45.6], [-73.6, 45.5]]
    feature = {
        "type": "Feature",
        "properties": {"name": "Bowtie"},
        "geometry": {"type": "Polygon", "coordinates": [bowtie]},
    }

    report = import_districts(source=feature_collection(feature), actor=admin)

    assert report.repaired == 1
    assert District.objects.get().boundary["type"] == "MultiPolygon"


def test_points_imported_before_their_districts_get_them(admin):
    address = AddressFactory(latitude=45.51, longitude=-73.59)
    facility = FacilityFactory(latitude=45.51, longitude=-73.59)
    outside = AddressFactory(latitude=46.0, longitude=-73.59)

    import_districts(source=feature_collection(polygon_feature({"name": "Verdun"})), actor=admin)

    district = District.objects.get()
    address.refresh_from_db()
    facility.refresh_from_db()
    outside.refresh_from_db()
    assert (address.district, facility.district, outside.district) == (district, district, None)


@pytest.mark.shared_data
def test_montreal_boroughs_and_linked_cities_import_by_their_nom(admin):
    path = shared_data_file("montreal-boundaries/limadmin.geojson")

    report = import_districts(source=path, actor=admin, name_property="NOM", kind_property="TYPE")

    assert (report.created, report.repaired) == (34, 0)
    outremont = District.objects.get(code="outremont")
    assert (outremont.name, outremont.kind) == ("Outremont", "Arrondissement")
    assert District.objects.filter(kind="Ville liée").count() == 15


@pytest.mark.shared_data
def test_boston_neighbourhoods_import_by_their_name_and_hyde_park_is_repaired(admin):
    path = shared_data_file("boston-neighborhoods/Boston_Neighborhoods.geojson")

    report = import_districts(source=path, actor=admin, name_property="Name")

    assert (report.created, report.repaired) == (26, 1)
    assert District.objects.filter(code="hyde-park", name="Hyde Park").exists()
    again = import_districts(source=path, actor=admin, name_property="Name")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 26)


coordinates = st.recursive(
    st.one_of(st.floats(), st.integers(-200, 200), st.none(), st.text(max_size=2)),
    lambda children: st.lists(children, max_size=6),
    max_leaves=40,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["Polygon", "MultiPolygon", "Point", "LineString", None]),
    coordinates=coordinates,
)
def test_any_geometry_either_imports_or_is_rejected_with_a_reason(admin, kind, coordinates):
    feature = {
        "type": "Feature",
        "properties": {"name": "Fuzzed"},
        "geometry": {"type": kind, "coordinates": coordinates},
    }

    report, rejected_where = import_or_rejection(feature_collection(feature), admin)

    assert rejected_where == ["feature #0"] or (
        report is not None and report.created + report.updated + report.unchanged == 1
    )


def import_or_rejection(source, actor):
    try:
        return import_districts(source=source, actor=actor), []
    except ImportFailed as error:
        return None, [problem.where for problem in error.problems]
