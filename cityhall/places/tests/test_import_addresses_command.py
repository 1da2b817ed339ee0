import pytest
from django.core.management import CommandError, call_command

from cityhall.places.models import Address
from cityhall.places.tests.factories import address_register

pytestmark = pytest.mark.django_db

ROW = {"civic_number": "1", "street_name": "Rue Rachel", "latitude": 45.5, "longitude": -73.6}


def test_the_command_imports_addresses_and_prints_the_counts(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text(address_register(ROW).getvalue(), encoding="utf-8")

    call_command("import_addresses", str(path))

    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Address.objects.get().label == "1 Rue Rachel"


def test_the_command_prints_every_bad_line_and_fails_having_changed_nothing(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text(
        address_register(ROW, {**ROW, "latitude": "x"}, {**ROW, "civic_number": ""}).getvalue()
    )

    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_addresses", str(path))

    errors = capsys.readouterr().err
    assert "line 3: latitude 'x' is not a number" in errors
    assert "line 4: civic_number is empty" in errors
    assert not Address.objects.exists()


def test_the_command_lists_the_missing_columns(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text("street,lat,lon\n")

    with pytest.raises(CommandError):
        call_command("import_addresses", str(path))

    assert "missing column(s): civic_number, street_name, latitude, longitude" in (
        capsys.readouterr().err
    )
