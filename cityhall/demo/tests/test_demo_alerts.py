"""The demo city has one expired alert and none current: it never looks like it is in crisis."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.alerts.models import Alert, PartnerAlertArea
from cityhall.alerts.selectors import crisis_alerts, current_alerts
from cityhall.demo.generator.administration import SNOW_CONTRACTOR
from cityhall.demo.services import remove_demo_city
from cityhall.places.models import District

SMALL_CITY = ["--residents", "100", "--addresses", "1000", "--requests", "0"]


@pytest.fixture
def demo_city(db):
    call_command("load_demo_city", *SMALL_CITY, stdout=StringIO())


def test_the_demo_city_has_a_past_alert_approved_by_a_second_person(demo_city, client):
    (alert,) = Alert.objects.all()
    assert alert.state == Alert.State.EXPIRED
    assert alert.approved_by != alert.drafted_by
    assert {text.language for text in alert.texts.all()} == {"en", "fr"}
    assert client.get(f"/alerts/{alert.identifier}.xml").status_code == 200
    assert current_alerts() == []
    assert crisis_alerts() == []
    assert "crisis-banner" not in client.get("/en/").content.decode()


def test_the_snow_contractor_may_draft_alerts_over_the_northern_districts(demo_city):
    area = PartnerAlertArea.objects.get(partner__name=SNOW_CONTRACTOR)
    chosen = list(area.districts.all())
    others = District.objects.exclude(pk__in=[district.pk for district in chosen])

    assert chosen
    assert min(d.centroid_latitude for d in chosen) >= max(d.centroid_latitude for d in others)


def test_removing_the_demo_city_removes_its_alert(demo_city):
    assert remove_demo_city()
    assert not Alert.objects.exists()
