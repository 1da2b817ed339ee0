import io
import time

import h3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityhall.core.models import AuditEvent
from cityhall.core.testing import shared_data_file
from cityhall.places.errors import ImportFailed
from cityhall.places.models import Address, District
from cityhall.places.services import import_addresses, import_districts
from cityhall.places.tests.factories import (
    DistrictFactory,
    address_register,
)
from cityhall.places.tests.montreal import address_register_from_points_of_interest

pytestmark = pytest.mark.django_db

ERABLES = {
    "id": "A-1",
    "civic_number": "123",
    "street_name": "Rue des Érables",
    "unit": "",
    "postal_code": "H2X 1Y4",
    "municipality": "Montréal",
    "latitude": "45.51",
    "longitude": "-73.59",
}


def problems_of(error: pytest.ExceptionInfo[ImportFailed]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_import_stores_each_address_with_its_cell_district_and_search_key(admin, settings):
    settings.CITYHALL_H3_RESOLUTION = 10
    district = DistrictFactory(south=45.50, west=-73.60, size=0.02)

    report = import_addresses(source=address_register(ERABLES), actor=admin)

    assert (report.created, report.updated) == (1, 0)
    address = Address.objects.get()
    assert address.label == "123 Rue des Érables"
    assert address.source_id == "A-1"
    assert address.district == district
    assert address.search_key == "123 rue des erables"
    assert address.h3_cell == h3.latlng_to_cell(45.51, -73.59, 10)
    assert AuditEvent.objects.get(action="places.addresses_imported").data["created"] == 1


def test_an_address_outside_every_district_has_none():
    import_addresses(source=address_register(ERABLES), actor=None)

    assert Address.objects.get().district is None


def test_import_accepts_utf8_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(address_register(ERABLES).getvalue(), encoding="utf-8-sig")

    import_addresses(source=path, actor=None)
    import_addresses(
        source=io.StringIO("\ufeff" + address_register(ERABLES).getvalue()), actor=None
    )

    assert Address.objects.get().street_name == "Rue des Érables"


def test_import_needs_only_the_required_columns():
    columns = ["longitude", "latitude", "street_name", "civic_number"]
    source = address_register(
        {"civic_number": "5", "street_name": "Main Street", "latitude": 1, "longitude": 2},
        columns=columns,
    )

    import_addresses(source=source, actor=None)

    assert Address.objects.get().label == "5 Main Street"


def test_reimporting_an_id_updates_the_address_instead_of_duplicating():
    import_addresses(source=address_register(ERABLES), actor=None)
    first = Address.objects.get()

    report = import_addresses(
        source=address_register({**ERABLES, "street_name": "Rue des Pins"}), actor=None
    )

    address = Address.objects.get()
    assert (report.created, report.updated) == (0, 1)
    assert (address.public_id, address.street_name) == (first.public_id, "Rue des Pins")
    assert address.search_key == "123 rue des pins"


def test_rows_without_an_id_are_matched_on_their_text_and_municipality():
    row = {**ERABLES, "id": ""}
    import_addresses(source=address_register(row), actor=None)

    report = import_addresses(
        source=address_register(
            {**row, "postal_code": "H2X 9Z9"}, {**row, "municipality": "Laval"}
        ),
        actor=None,
    )

    assert (report.created, report.updated) == (1, 1)
    assert Address.objects.count() == 2


def test_import_lists_every_missing_column_by_name():
    source = io.StringIO("id,street_name,unit\n1,Main,\n")

    with pytest.raises(ImportFailed) as error:
        import_addresses(source=source, actor=None)

    assert problems_of(error) == ["missing column(s): civic_number, latitude, longitude"]


def test_import_names_the_line_and_the_problem_of_every_bad_row():
    source = address_register(
        ERABLES,
        {**ERABLES, "id": "2", "latitude": "north"},
        {**ERABLES, "id": "3", "longitude": "-200"},
        {**ERABLES, "id": "4", "street_name": "  "},
        {**ERABLES, "id": "5", "latitude": "nan"},
        {**ERABLES, "id": "6", "unit": "x" * 21},
        {**ERABLES, "id": "A-1", "civic_number": "999"},
    )

    with pytest.raises(ImportFailed) as error:
        import_addresses(source=source, actor=None)

    assert problems_of(error) == [
        "line 3: latitude 'north' is not a number",
        "line 4: longitude -200.0 is outside -180..180",
        "line 5: street_name is empty",
        "line 6: coordinates must be finite numbers, found nan",
        "line 7: unit is longer than 20 characters",
        "line 8: this address repeats line 2",
    ]
    assert not Address.objects.exists()


def test_line_numbers_count_physical_lines_even_with_quoted_newlines():
    source = io.StringIO(
        "civic_number,street_name,latitude,longitude\n"
        '1,"Rue\nsur deux lignes",45,-73\n'
        "2,Rue B,45,-73,extra\n"
    )

    with pytest.raises(ImportFailed) as error:
        import_addresses(source=source, actor=None)

    assert problems_of(error) == ["line 4: the row has more values than the header has columns"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"civic_number,street_name,latitude,longitude\n1,Rue \xe9,45,-73\n", "is not UTF-8"),
        (b"", "missing column(s): civic_number, street_name, latitude, longitude"),
        (b"civic_number,street_name,latitude,longitude\n", "the file has no addresses"),
        (b'civic_number,street_name,latitude,longitude\n1,"A\n', "cannot be read as CSV"),
        (b'civic_number,street_name,latitude,longitude\n1,"A"B,45,-73\n', "line 2 cannot be read"),
        (b"civic_number,street_name,latitude,longitude\n1,A\n", "line 2: latitude is empty"),
        (b'civic_number,"street_name"x,latitude,longitude\n', "line 1 cannot be read as CSV"),
    ],
)
def test_import_rejects_files_that_are_not_an_address_register(tmp_path, content, message):
    path = tmp_path / "register.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFailed) as error:
        import_addresses(source=path, actor=None)

    assert message in problems_of(error)[0]


def test_a_bad_line_leaves_previously_imported_addresses_untouched():
    import_addresses(source=address_register(ERABLES), actor=None)

    with pytest.raises(ImportFailed):
        import_addresses(
            source=address_register(
                {**ERABLES, "street_name": "Changed"}, {**ERABLES, "id": "2", "latitude": ""}
            ),
            actor=None,
        )

    assert list(Address.objects.values_list("street_name", flat=True)) == ["Rue des Érables"]


def test_fifty_thousand_rows_import_well_under_a_minute():
    rows = [
        {**ERABLES, "id": str(n), "civic_number": str(n % 3000 + 1),
         "street_name": f"Street {n // 3000}", "latitude": 45 + n / 1e6}
        for n in range(50_000)
    ]  # fmt: skip
    DistrictFactory(south=45.0, west=-73.6, size=0.02)

    started = time.monotonic()
    report = import_addresses(source=address_register(*rows), actor=None)
    elapsed = time.monotonic() - started

    assert report.created == 50_000
    assert elapsed < 30


@pytest.mark.shared_data
def test_montreal_points_of_interest_import_as_an_address_register(tmp_path):
    import_districts(
        source=shared_data_file("montreal-boundaries/limadmin.geojson"),
        actor=None,
        name_property="NOM",
        kind_property="TYPE",
    )
    path = address_register_from_points_of_interest(tmp_path)

    report = import_addresses(source=path, actor=None)

    assert report.created == 1921
    meunier = Address.objects.get(source_id="1")  # Maison du Meunier, 10897 Rue du Pont
    assert meunier.district == District.objects.get(name="Ahuntsic-Cartierville")
    assert Address.objects.filter(district__isnull=True).count() < 20
    assert import_addresses(source=path, actor=None).unchanged == 1921


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(alphabet=st.sampled_from('0123456789,.-"\n\r é\x00ab'), max_size=120))
def test_any_csv_body_either_imports_or_is_rejected_naming_lines(body):
    source = io.StringIO("civic_number,street_name,latitude,longitude\n" + body)

    rejected_where = import_or_rejection(source)

    # A problem names its line, or no place when it concerns the whole file.
    assert all(where == "" or where.startswith("line ") for where in rejected_where)


def import_or_rejection(source):
    try:
        import_addresses(source=source, actor=None)
    except ImportFailed as error:
        return [problem.where for problem in error.problems]
    return []
