import json

import pytest
from django.core.management import CommandError, call_command

from cityhall.places.models import Facility
from cityhall.places.tests.factories import point_feature

pytestmark = pytest.mark.django_db


def write_collection(path, *features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def test_the_command_imports_facilities_and_prints_the_counts(tmp_path, capsys):
    path = write_collection(
        tmp_path / "f.geojson",
        point_feature({"name_en": "Pool", "name_fr": "Piscine", "kind": "pool"}),
    )

    call_command("import_facilities", str(path))

    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert Facility.objects.get().kind == Facility.Kind.POOL


def test_the_command_prints_every_problem_and_fails_having_changed_nothing(tmp_path, capsys):
    path = write_collection(
        tmp_path / "f.geojson",
        point_feature({"name_en": "Pool", "kind": "pool"}),
        point_feature({"name_en": "Rink", "kind": "rink"}),
    )

    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        call_command("import_facilities", str(path))

    assert "feature #1: unknown kind 'rink'" in capsys.readouterr().err
    assert not Facility.objects.exists()


def test_the_command_reports_a_file_that_is_not_json(tmp_path, capsys):
    path = tmp_path / "f.geojson"
    path.write_text("name,kind\n")

    with pytest.raises(CommandError):
        call_command("import_facilities", str(path))

    assert "the file is not valid JSON" in capsys.readouterr().err
