"""`manage.py create_personal_access_token --email ADDRESS [--name N] [--days D]`.

Issues a personal access token that acts as the account with that email address, as an
ordinary person: no two-factor sign-in vouches for it, so it never acts as staff (a staff
member makes a staff token from the back office). The token is printed alone on the last
line, so scripts can take it with `tail -n 1`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.accounts.services import create_personal_access_token
from cityhall.core.errors import CityHallError


class Command(BaseCommand):
    help = (
        "Create a personal access token for an account and print it (it is shown only once). "
        "It never acts as staff."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The account's email address.")
        parser.add_argument("--name", default="Command line", help="A label for the token.")
        parser.add_argument(
            "--days", type=int, default=None, help="Days until it expires (default: never)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        owner = User.objects.filter(email__iexact=options["email"].strip()).first()
        if owner is None:
            raise CommandError(f"No account has the email address {options['email']!r}.")
        days = options["days"]
        expires_at = timezone.now() + timedelta(days=days) if days is not None else None
        try:
            issued = create_personal_access_token(
                actor=None, owner=owner, name=options["name"], expires_at=expires_at
            )
        except CityHallError as error:
            details = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.fields.items()
            )
            raise CommandError(f"{error.message} {details}".strip()) from error
        self.stdout.write(f"Token {issued.access_token.prefix} for {owner.email}.")
        self.stdout.write("Store it now: it cannot be shown again.")
        self.stdout.write(issued.token)
