import time
from io import StringIO

import pyotp
import pytest
from django.core.management import call_command

from cityhall.accounts.models import User
from cityhall.demo.banner import demo_banner


@pytest.mark.django_db
def test_the_banner_lists_the_demo_accounts_with_passwords_and_totp_codes():
    call_command(
        "load_demo_city",
        "--residents",
        "50",
        "--addresses",
        "1000",
        "--requests",
        "0",
        stdout=StringIO(),
    )
    agent = User.objects.get(email="agent@example.org")

    banner = demo_banner("http://127.0.0.1:8000")

    assert "http://127.0.0.1:8000/en/staff/" in banner
    assert "demo@example.org / demo-citizen-2026" in banner
    assert "Agent, Public Works: agent@example.org / demo-staff-2026" in banner
    assert "City administrator: admin@example.org" in banner
    assert "partner@example.org / demo-partner-2026" in banner
    assert agent.totp_secret in banner
    totp = pyotp.TOTP(agent.totp_secret)
    # The banner was written a moment ago, maybe in the previous 30-second step.
    assert any(totp.at(time.time() - delay) in banner for delay in (0, 30))
    assert "manage.py demo_totp" in banner


@pytest.mark.django_db
def test_without_the_demo_city_the_banner_says_how_to_load_it():
    banner = demo_banner("http://127.0.0.1:8000")

    assert "http://127.0.0.1:8000/en/" in banner
    assert "load_demo_city" in banner
    assert "demo-staff-2026" not in banner
