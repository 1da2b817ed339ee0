import json

import pytest
from django.core.management import CommandError, call_command

from cityhall.core.testing import shared_data_file
from cityhall.places.models import District
from cityhall.places.tests.factories import point_feature, polygon_feature

pytestmark = pytest.mark.django_db


def write_collection(path, *features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def test_the_command_imports_districts_and_prints_the_counts(tmp_path, capsys):
    path = write_collection(
        tmp_path / "d.geojson", polygon_feature({"NOM": "Verdun", "NOM_FR": "Verdun (fr)"})
    )

    call_command("import_districts", str(path), "--name-property", "NOM",
                 "--name-fr-property", "NOM_FR")  # fmt: skip

    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert District.objects.get().name_fr == "Verdun (fr)"


def test_the_command_prints_every_problem_and_fails_having_changed_nothing(tmp_path, capsys):
    path = write_collection(
        tmp_path / "d.geojson",
        polygon_feature({"name": "Verdun"}),
        point_feature({"name": "A"}),
        polygon_feature({}),
    )

    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_districts", str(path))

    errors = capsys.readouterr().err
    assert "feature #1: expected a Polygon or MultiPolygon geometry, found Point" in errors
    assert "feature #2: the name property 'name' is missing" in errors
    assert not District.objects.exists()


def test_the_command_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_districts", str(tmp_path / "missing.geojson"))


@pytest.mark.shared_data
def test_the_command_imports_the_montreal_boroughs_by_code(capsys):
    path = shared_data_file("montreal-boundaries/limadmin.geojson")

    call_command("import_districts", str(path), "--name-property", "NOM",
                 "--code-property", "CODEID", "--kind-property", "TYPE")  # fmt: skip

    assert "34 created" in capsys.readouterr().out
    assert District.objects.get(code="11").name == "Outremont"
