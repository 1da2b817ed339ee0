"""manage.py import_districts FILE.geojson: load district boundaries."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from cityhall.places.management.importing import run_import
from cityhall.places.services import import_districts


class Command(BaseCommand):
    help = (
        "Import districts from a GeoJSON FeatureCollection of Polygon/MultiPolygon features. "
        "A district whose code exists is updated. A file with any problem changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="GeoJSON file")
        parser.add_argument(
            "--name-property", default="name", help="property holding the name (name)"
        )
        parser.add_argument(
            "--code-property", help="property holding the code (default: the slugified name)"
        )
        parser.add_argument("--name-fr-property", help="property holding the French name")
        parser.add_argument("--kind-property", help="property holding the kind of district")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            path=options["file"],
            what=str(_("districts")),
            run=lambda source: import_districts(
                source=source,
                actor=None,
                name_property=options["name_property"],
                code_property=options["code_property"],
                name_fr_property=options["name_fr_property"],
                kind_property=options["kind_property"],
            ),
        )
