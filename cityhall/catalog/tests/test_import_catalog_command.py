"""manage.py import_catalog: the operator's way to load a catalog file."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from cityhall.catalog.models import Service
from cityhall.catalog.tests.factories import DepartmentFactory

CATALOG = {
    "topics": [{"slug": "roads", "name_en": "Roads", "name_fr": "Rues"}],
    "services": [{"code": "pothole", "department": "roads", "topic": "roads",
                  "name_en": "Pothole", "name_fr": "Nid-de-poule"}],
}  # fmt: skip


def test_a_catalog_file_is_imported(db, tmp_path):
    DepartmentFactory(code="roads")
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(CATALOG), encoding="utf-8")
    out = io.StringIO()

    call_command("import_catalog", str(path), stdout=out)

    assert Service.objects.filter(code="pothole").exists()
    assert out.getvalue().strip() == "1 topics and 1 services imported."


def test_a_bad_catalog_file_names_the_problem_and_changes_nothing(db, tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(CATALOG), encoding="utf-8")

    with pytest.raises(
        CommandError, match=re.escape("services.0.department: No department has this code.")
    ):
        call_command("import_catalog", str(path))

    assert not Service.objects.exists()


def test_a_missing_file_is_reported(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_catalog", str(tmp_path / "missing.json"))
