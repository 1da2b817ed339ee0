"""`manage.py create_api_key --partner NAME --scopes a,b`: issue a partner API key.

The key is printed alone on the last line, so scripts can take it with `tail -n 1`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.accounts.scopes import ApiScope
from cityhall.accounts.selectors import get_partner_organisation_by_name
from cityhall.accounts.services import create_api_key
from cityhall.core.errors import CityHallError, NotFound


class Command(BaseCommand):
    help = "Create an API key for a partner organisation and print it (it is shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partner", required=True, help="The organisation's name.")
        parser.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated scopes among: {', '.join(ApiScope.values)}.",
        )
        parser.add_argument("--name", default="Command line", help="A label for the key.")

    def handle(self, *args: Any, **options: Any) -> None:
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        try:
            organisation = get_partner_organisation_by_name(name=options["partner"])
        except NotFound as error:
            raise CommandError(
                f"No partner organisation is called {options['partner']!r}."
            ) from error
        try:
            issued = create_api_key(
                actor=None, organisation=organisation, name=options["name"], scopes=scopes
            )
        except CityHallError as error:
            details = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.fields.items()
            )
            raise CommandError(f"{error.message} {details}".strip()) from error
        scope_list = ", ".join(issued.api_key.scopes)
        self.stdout.write(
            f"Key {issued.api_key.prefix} for {organisation.name}, scopes: {scope_list}."
        )
        self.stdout.write("Store it now: it cannot be shown again.")
        self.stdout.write(issued.key)
