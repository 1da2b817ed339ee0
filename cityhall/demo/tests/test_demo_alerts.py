"""The demo city has one expired alert and none current: it never looks like it is in crisis."""

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.alerts.models import Alert
from cityhall.alerts.selectors import crisis_alerts, current_alerts
from cityhall.demo.services import remove_demo_city

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


def test_removing_the_demo_city_removes_its_alert(demo_city):
    assert remove_demo_city()
    assert not Alert.objects.exists()
