"""manage.py import_catalog FILE.json: load or update the service catalog."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityhall.catalog.services import import_catalog
from cityhall.core.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Create or update topics and services from a catalog description in JSON "
        "(see cityhall/catalog/catalog_file.py). A file with any problem changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="JSON file, UTF-8")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], encoding="utf-8") as source:
                summary = import_catalog(source=source, actor=None)
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror}") from error
        except InvalidInput as error:
            problems = "; ".join(
                f"{where}: {' '.join(messages)}" for where, messages in error.fields.items()
            )
            raise CommandError(f"{options['file']}: {problems}") from error
        self.stdout.write(f"{summary.topics} topics and {summary.services} services imported.")
