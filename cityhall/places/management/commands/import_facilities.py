"""manage.py import_facilities FILE.geojson: load facilities (libraries, pools, parks…)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from cityhall.places.management.importing import run_import
from cityhall.places.services import import_facilities


class Command(BaseCommand):
    help = (
        "Import facilities from a GeoJSON FeatureCollection of Point features with the "
        "properties name_en, name_fr, kind, address and phone. A file with any problem "
        "changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="GeoJSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            path=options["file"],
            what=str(_("facilities")),
            run=lambda source: import_facilities(source=source, actor=None),
        )
