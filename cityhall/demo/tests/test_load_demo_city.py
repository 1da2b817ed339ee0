from io import StringIO

import pyotp
import pytest
from django.core.management import call_command

from cityhall.accounts.models import PartnerMembership, StaffRole, User
from cityhall.accounts.services import sign_in_with_password, verify_totp_code
from cityhall.catalog.models import Department, Service
from cityhall.catalog.tests.factories import DepartmentFactory
from cityhall.demo.models import DemoCity
from cityhall.places.models import Address, District, Facility

SMALL = ["--residents", "200", "--addresses", "2000", "--requests", "0"]
DEMO_ACCOUNTS = 8


def load(*extra):
    out = StringIO()
    call_command("load_demo_city", *SMALL, *extra, stdout=out)
    return out.getvalue()


def counts():
    return (
        District.objects.count(),
        Address.objects.count(),
        Facility.objects.count(),
        Department.objects.count(),
        User.objects.count(),
    )


@pytest.mark.django_db
def test_the_command_loads_the_city_through_the_importers():
    output = load()

    assert "Loaded the demo city" in output
    assert 8 <= District.objects.count() <= 12
    assert Address.objects.count() == 2000
    assert not Address.objects.filter(district__isnull=True).exists()
    assert 40 <= Facility.objects.count() <= 80
    assert Department.objects.filter(code="public-works", name_fr="Travaux publics").exists()
    assert Service.objects.filter(code="pothole", name_fr="Nid-de-poule").exists()
    assert Service.objects.count() >= 40
    assert User.objects.filter(is_staff=False).count() == 200 + 2
    assert User.objects.get(email="demo@example.org").check_password("demo-citizen-2026")
    assert StaffRole.objects.filter(
        user__email="agent@example.org", role="agent", department__code="public-works"
    ).exists()
    assert PartnerMembership.objects.filter(user__email="partner@example.org").exists()


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so():
    load()
    before = counts()

    output = load()

    assert "already loaded" in output
    assert counts() == before
    assert DemoCity.objects.count() == 1


@pytest.mark.django_db
def test_reset_rebuilds_the_city_and_keeps_what_others_added(citizen):
    load("--seed", "1")
    DepartmentFactory(code="library-services")
    first_streets = set(Address.objects.values_list("street_name", flat=True))

    output = load("--reset", "--seed", "2")

    assert "Removed the demo city." in output
    assert set(Address.objects.values_list("street_name", flat=True)) != first_streets
    assert Address.objects.count() == 2000
    assert User.objects.filter(pk=citizen.pk).exists()
    assert Department.objects.filter(code="library-services").exists()
    assert DemoCity.objects.get().seed == 2
    assert Service.objects.filter(code="pothole").count() == 1


@pytest.mark.django_db
def test_the_demo_citizen_signs_in_with_the_printed_password():
    load()

    user = sign_in_with_password(
        email="demo@example.org", password="demo-citizen-2026", ip_address=None
    )

    assert user.email == "demo@example.org"


@pytest.mark.django_db
def test_demo_staff_pass_two_factor_with_the_printed_secret():
    load()
    agent = User.objects.get(email="agent@example.org")
    secret = agent.totp_secret

    verify_totp_code(user=agent, code=pyotp.TOTP(secret).now())

    assert agent.totp_confirmed_at is not None
    assert secret == User.objects.get(email="agent@example.org").totp_secret
