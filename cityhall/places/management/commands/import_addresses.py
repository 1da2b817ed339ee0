"""manage.py import_addresses FILE.csv: load the address register."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _

from cityhall.places.management.importing import run_import
from cityhall.places.services import import_addresses


class Command(BaseCommand):
    help = (
        "Import an address-register CSV (id,civic_number,street_name,unit,postal_code,"
        "municipality,latitude,longitude). A file with any problem changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8")

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(
            self,
            path=options["file"],
            what=str(_("addresses")),
            run=lambda source: import_addresses(source=source, actor=None),
        )
