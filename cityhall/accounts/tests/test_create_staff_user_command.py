from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cityhall.accounts.models import StaffRole, User
from cityhall.catalog.tests.factories import DepartmentFactory


@pytest.mark.django_db(transaction=True)
def test_the_command_makes_the_first_city_admin_and_invites_them():
    out = StringIO()

    call_command(
        "create_staff_user",
        "--email",
        "Ada@City.example",
        "--name",
        "Ada",
        "--role",
        "city_admin",
        stdout=out,
    )

    user = User.objects.get(email="ada@city.example")
    assert StaffRole.objects.filter(user=user, role="city_admin", department=None).exists()
    assert "ada@city.example is now city_admin (city-wide)." in out.getvalue()
    assert mail.outbox[-1].to == ["ada@city.example"]


@pytest.mark.django_db
def test_the_command_grants_a_role_in_a_department():
    DepartmentFactory(code="parks")

    call_command(
        "create_staff_user",
        "--email",
        "p@city.example",
        "--name",
        "P",
        "--role",
        "agent",
        "--department",
        "parks",
        stdout=StringIO(),
    )

    assert StaffRole.objects.filter(user__email="p@city.example", department__code="parks").exists()


@pytest.mark.django_db
def test_an_unknown_department_is_an_error():
    with pytest.raises(CommandError, match="No department"):
        call_command(
            "create_staff_user",
            "--email",
            "p@city.example",
            "--name",
            "P",
            "--role",
            "agent",
            "--department",
            "nope",
        )


@pytest.mark.django_db
def test_a_role_that_does_not_fit_creates_nobody():
    with pytest.raises(CommandError):
        call_command(
            "create_staff_user",
            "--email",
            "p@city.example",
            "--name",
            "P",
            "--role",
            "department_admin",
        )

    assert not User.objects.filter(email="p@city.example").exists()
