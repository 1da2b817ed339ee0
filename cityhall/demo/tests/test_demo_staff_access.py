"""The demo city has staff looks to show: the demo citizen's "who looked" page and the
privacy officer's access log, with one unusual pattern flagged."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.core.audit_chain import seal_audit_log, verify_chain
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.servicerequests.staff_access_log import (
    Flag,
    access_log_for_privacy_officer,
    accesses_for_citizen,
)


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_the_demo_citizen_sees_staff_look_at_their_requests_with_reasons(demo_city):
    accesses = accesses_for_citizen(citizen=User.objects.get(email=DEMO_CITIZEN_EMAIL))

    assert any(access.is_reveal and access.reason == "handling" for access in accesses)
    assert any(not access.is_reveal for access in accesses)


def test_the_privacy_officer_sees_each_kind_of_unusual_pattern(demo_city):
    officer = User.objects.get(email="privacy@example.org")
    now = timezone.now()

    log = access_log_for_privacy_officer(actor=officer, since=now - timedelta(hours=1), until=now)

    assert log.flagged.get(Flag.MANY_FILES, 0) > 0
    assert log.flagged.get(Flag.NOT_FOR_HANDLING, 0) >= 2


def test_a_reset_keeps_the_audit_chain_intact(demo_city):
    seal_audit_log()
    call_command(
        "load_demo_city",
        "--reset",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )
    seal_audit_log()

    assert verify_chain().is_intact
