"""`manage.py create_staff_user --email E --name N --role R [--department CODE]`.

Makes (or promotes) a staff account and grants it a role; this is how a new deployment gets
its first city administrator. A new account is emailed an invitation to choose a password.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cityhall.accounts.models import StaffRole
from cityhall.accounts.selectors import get_department_by_code
from cityhall.accounts.services import create_staff_user, grant_staff_role
from cityhall.core.errors import CityHallError, NotFound


class Command(BaseCommand):
    help = "Create a staff account (or make an account staff) and grant it a role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The person's full name.")
        parser.add_argument("--role", required=True, choices=StaffRole.Role.values)
        parser.add_argument("--department", default="", help="A department code; none: city-wide.")

    def handle(self, *args: Any, **options: Any) -> None:
        department = None
        if options["department"]:
            try:
                department = get_department_by_code(code=options["department"])
            except NotFound as error:
                raise CommandError(
                    f"No department has the code {options['department']!r}."
                ) from error
        try:
            with transaction.atomic():
                user = create_staff_user(
                    actor=None, email=options["email"], full_name=options["name"]
                )
                grant_staff_role(actor=None, user=user, role=options["role"], department=department)
        except CityHallError as error:
            details = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.fields.items()
            )
            raise CommandError(f"{error.message} {details}".strip()) from error
        where = department.code if department is not None else "city-wide"
        self.stdout.write(f"{user.email} is now {options['role']} ({where}).")
