import json

import h3
import pytest
from django.utils.text import slugify
from unidecode import unidecode

from cityhall.core.models import AuditEvent
from cityhall.core.testing import shared_data_file
from cityhall.places.errors import ImportFailed
from cityhall.places.models import Facility
from cityhall.places.services import import_districts, import_facilities
from cityhall.places.tests.factories import (
    DistrictFactory,
    FacilityFactory,
    feature_collection,
    point_feature,
    polygon_feature,
)
from cityhall.places.tests.montreal import facilities_from_points_of_interest

pytestmark = pytest.mark.django_db

LIBRARY = {
    "name_en": "Mile End Library",
    "name_fr": "Bibliothèque du Mile End",
    "kind": "library",
    "address": "5434 avenue du Parc",
    "phone": "514 872-2141",
}


def problems_of(error: pytest.ExceptionInfo[ImportFailed]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_import_stores_each_facility_with_its_cell_and_district(admin, settings):
    settings.CITYHALL_H3_RESOLUTION = 8
    district = DistrictFactory(south=45.50, west=-73.60, size=0.02)

    report = import_facilities(
        source=feature_collection(point_feature(LIBRARY, latitude=45.51, longitude=-73.59)),
        actor=admin,
    )

    assert (report.created, report.updated) == (1, 0)
    facility = Facility.objects.get()
    assert (facility.name_en, facility.name_fr) == ("Mile End Library", "Bibliothèque du Mile End")
    assert (facility.kind, facility.address_text, facility.phone) == (
        Facility.Kind.LIBRARY, "5434 avenue du Parc", "514 872-2141"
    )  # fmt: skip
    assert facility.district == district
    assert facility.h3_cell == h3.latlng_to_cell(45.51, -73.59, 8)
    assert AuditEvent.objects.get(action="places.facilities_imported").actor == admin


def test_a_facility_without_a_kind_is_other_and_one_name_serves_both_languages():
    import_facilities(source=feature_collection(point_feature({"name_fr": "Chalet"})), actor=None)

    facility = Facility.objects.get()
    assert (facility.kind, facility.name_en, facility.name_fr) == ("other", "Chalet", "Chalet")


def test_reimporting_a_facility_id_updates_it_instead_of_duplicating():
    import_facilities(source=feature_collection(point_feature({**LIBRARY, "id": 7})), actor=None)

    report = import_facilities(
        source=feature_collection(point_feature({**LIBRARY, "id": 7, "name_en": "Parc Library"})),
        actor=None,
    )

    assert (report.created, report.updated) == (0, 1)
    assert Facility.objects.get().name_en == "Parc Library"


def test_facilities_without_an_id_are_matched_on_kind_and_names():
    import_facilities(source=feature_collection(point_feature(LIBRARY)), actor=None)

    report = import_facilities(
        source=feature_collection(point_feature({**LIBRARY, "phone": "311"})), actor=None
    )

    assert (report.created, report.updated) == (0, 1)
    assert Facility.objects.get().phone == "311"


def test_import_names_the_feature_and_the_problem_of_every_bad_feature():
    source = feature_collection(
        point_feature(LIBRARY),
        point_feature({**LIBRARY, "name_en": "Pool", "kind": "swimming"}),
        polygon_feature({**LIBRARY, "name_en": "Park"}),
        point_feature({"kind": "park"}),
        point_feature({**LIBRARY, "name_en": "Far"}, latitude=91),
        point_feature(LIBRARY),
        {"type": "Feature", "properties": {"name_en": "Nowhere"}, "geometry": None},
    )

    with pytest.raises(ImportFailed) as error:
        import_facilities(source=source, actor=None)

    assert problems_of(error) == [
        "feature #1: unknown kind 'swimming' (expected one of: service_centre, library, pool, "
        "arena, park, community_centre, ecocentre, fire_station, other)",
        "feature #2: expected a Point geometry, found Polygon",
        "feature #3: name_en and name_fr are both missing",
        "feature #4: latitude 91 is outside -90..90",
        "feature #5: this facility repeats feature #0",
        "feature #6: expected a Point geometry, found no geometry",
    ]


def test_a_file_with_one_bad_feature_leaves_existing_facilities_untouched():
    existing = FacilityFactory(name_en="Old library")
    source = feature_collection(
        point_feature(LIBRARY), point_feature({**LIBRARY, "name_en": "X", "kind": "castle"})
    )

    with pytest.raises(ImportFailed):
        import_facilities(source=source, actor=None)

    assert list(Facility.objects.all()) == [existing]


@pytest.mark.shared_data
def test_montreal_points_of_interest_fall_in_the_borough_the_city_lists_for_them():
    import_districts(
        source=shared_data_file("montreal-boundaries/limadmin.geojson"),
        actor=None,
        name_property="NOM",
    )
    source = facilities_from_points_of_interest()
    boroughs = {
        str(feature["id"]): feature["properties"]["borough"]
        for feature in json.loads(source.getvalue())["features"]
    }

    report = import_facilities(source=source, actor=None)

    assert report.created == len(boroughs) == 3230
    # The city's own file spells boroughs with en dashes and "Ville de …" for linked cities.
    listed = {key: slugify(unidecode(name.removeprefix("Ville de ").removeprefix("Ville ")))
              for key, name in boroughs.items()}  # fmt: skip
    found = {
        facility.source_id: facility.district.code if facility.district else None
        for facility in Facility.objects.select_related("district")
    }
    agreeing = sum(found[key] == listed[key] for key in listed)
    assert agreeing / len(listed) > 0.97
    assert Facility.objects.filter(kind=Facility.Kind.LIBRARY).count() == 50
