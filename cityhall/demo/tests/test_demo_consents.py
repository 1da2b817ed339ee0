"""The demo city has consent decisions to show: the demo citizen's, and some residents'."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.accounts.models import User
from cityhall.demo.citizen import DEMO_CITIZEN_EMAIL
from cityhall.privacy.consents import consent_choices_for, has_consent
from cityhall.privacy.models import ConsentRecord
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.partner_contact import contacts_for_partner


@pytest.fixture
def demo_city(db):
    call_command(
        "load_demo_city",
        *["--residents", "100", "--addresses", "1000", "--requests", "400"],
        stdout=StringIO(),
    )


def test_the_demo_citizen_has_choices_a_withdrawal_and_a_history(demo_city):
    citizen = User.objects.get(email=DEMO_CITIZEN_EMAIL)
    records = ConsentRecord.objects.filter(user=citizen)
    choices = {choice.purpose.code: choice for choice in consent_choices_for(citizen)}

    assert has_consent(citizen, "partner_sharing")
    assert has_consent(citizen, "notifications.district_news")
    assert not has_consent(citizen, "research")
    assert choices["research"].decided_at is not None
    assert choices["analytics"].decided_at is None
    assert records.count() == 5


def test_some_residents_decided_and_partners_see_some_reporters_contact_details(demo_city):
    residents = ConsentRecord.objects.exclude(user__email=DEMO_CITIZEN_EMAIL)
    handed_over = ServiceRequest.objects.filter(
        assigned_partner__isnull=False, reporter__isnull=False
    )

    assert residents.values("user").distinct().count() >= 10
    assert residents.filter(is_given=False).exists()
    assert set(residents.values_list("language", flat=True)) <= {"en", "fr"}
    assert contacts_for_partner(handed_over)
