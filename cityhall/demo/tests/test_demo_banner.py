import time
from io import StringIO

import pyotp
import pytest
from django.core.management import call_command

from cityhall.accounts.errors import InvalidApiKey
from cityhall.accounts.models import ApiKey, User
from cityhall.accounts.services import authenticate_api_key
from cityhall.demo.api_key import DEMO_KEY_NAME
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
def test_each_start_prints_a_working_partner_key_and_revokes_the_previous_one():
    call_command(
        "load_demo_city", "--residents", "50", "--addresses", "1000", "--requests", "0",
        stdout=StringIO(),
    )  # fmt: skip

    first = _printed_key(demo_banner("http://127.0.0.1:8000"))
    second = _printed_key(demo_banner("http://127.0.0.1:8000"))

    api_key = authenticate_api_key(raw_key=second)
    assert api_key.name == DEMO_KEY_NAME
    assert "open311:write" in api_key.scopes
    assert ApiKey.objects.filter(name=DEMO_KEY_NAME, revoked_at__isnull=True).count() == 1
    with pytest.raises(InvalidApiKey):
        authenticate_api_key(raw_key=first)


def _printed_key(banner: str) -> str:
    lines = banner.splitlines()
    heading = next(i for i, line in enumerate(lines) if line.startswith("Partner API key of"))
    return lines[heading + 1].strip()


@pytest.mark.django_db
def test_without_the_demo_city_the_banner_says_how_to_load_it():
    banner = demo_banner("http://127.0.0.1:8000")

    assert "http://127.0.0.1:8000/en/" in banner
    assert "load_demo_city" in banner
    assert "demo-staff-2026" not in banner
    assert "Partner API key" not in banner
