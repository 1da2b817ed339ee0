import time
from io import StringIO

import pyotp
import pytest
from django.core.management import call_command

from cityhall.accounts.models import User


@pytest.mark.django_db
def test_demo_totp_prints_the_current_code_of_each_demo_staff_member():
    call_command(
        "load_demo_city",
        "--residents",
        "10",
        "--addresses",
        "500",
        "--requests",
        "0",
        stdout=StringIO(),
    )
    out = StringIO()

    call_command("demo_totp", stdout=out)

    for email in ("agent@example.org", "supervisor@example.org", "admin@example.org"):
        totp = pyotp.TOTP(User.objects.get(email=email).totp_secret)
        # The codes were printed a moment ago, maybe in the previous 30-second step.
        assert any(
            f"{totp.at(time.time() - delay)}  {email}" in out.getvalue() for delay in (0, 30)
        )
    assert "demo@example.org" not in out.getvalue()


@pytest.mark.django_db
def test_demo_totp_says_when_the_demo_city_is_not_loaded():
    out = StringIO()

    call_command("demo_totp", stdout=out)

    assert "not loaded" in out.getvalue()
