from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityhall.alerts.models import Alert
from cityhall.alerts.services import expire_alerts
from cityhall.alerts.tests.alert_factories import AlertFactory, publish
from cityhall.appointments.models import Closure
from cityhall.places.models import Facility
from cityhall.places.tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


def test_the_list_shows_current_alerts_in_each_language(client) -> None:
    AlertFactory()
    english = client.get("/en/alerts/").content.decode()
    french = client.get("/fr/alerts/").content.decode()
    assert "Flooding along the river" in english
    assert "Inondation le long de la rivière" in french


def test_an_alert_page_gives_what_to_do_where_and_until_when(client) -> None:
    alert = AlertFactory()
    page = client.get(f"/fr/alerts/{alert.identifier}/").content.decode()
    assert "Gagnez un terrain plus élevé" in page
    assert "Quartier riverain" in page
    assert f"/alerts/{alert.identifier}.xml" in page


def test_a_severe_actual_alert_puts_a_banner_on_portal_pages(client) -> None:
    assert "crisis-banner" not in client.get("/en/accessibility/").content.decode()
    alert = publish(severity=Alert.Severity.EXTREME)
    page = client.get("/en/accessibility/").content.decode()
    assert "crisis-banner" in page
    assert f"/en/alerts/{alert.identifier}/" in page


@pytest.mark.parametrize(
    "fields",
    [
        {"severity": Alert.Severity.MODERATE},
        {"status": Alert.Status.EXERCISE},
        {"status": Alert.Status.TEST},
    ],
)
def test_other_alerts_leave_the_portal_calm(client, fields) -> None:
    AlertFactory(**fields)
    home = client.get("/en/").content.decode()
    assert "crisis-banner" not in home
    assert "Emergency in progress" not in home


def test_the_home_page_becomes_the_emergency_page(client) -> None:
    AlertFactory(severity=Alert.Severity.SEVERE)
    outside = FacilityFactory(
        kind=Facility.Kind.COMMUNITY_CENTRE, name_en="Hilltop Centre", latitude=45.60
    )
    inside = FacilityFactory(kind=Facility.Kind.LIBRARY, name_en="River Library", latitude=45.51)
    closed = FacilityFactory(kind=Facility.Kind.ARENA, name_en="North Arena", latitude=45.62)
    today = timezone.localdate()
    Closure.objects.create(
        facility=closed, starts_on=today, ends_on=today, reason_en="Flooded", reason_fr="Inondé"
    )
    home = client.get("/en/").content.decode()
    assert "Emergency in progress" in home
    assert "Move to higher ground" in home
    shelters = home.split('id="shelters-heading"')[1].split('id="closures-heading"')[0]
    assert outside.name_en in shelters
    assert closed.name_en not in shelters
    assert inside.name_en not in shelters
    closures = home.split('id="closures-heading"')[1]
    assert closed.name_en in closures
    assert inside.name_en in closures


def test_the_emergency_page_ends_with_the_alert(client) -> None:
    now = timezone.now()
    alert = AlertFactory(onset=now - timedelta(hours=1), expires=now + timedelta(hours=1))
    assert "Emergency in progress" in client.get("/en/").content.decode()
    expire_alerts(now=alert.expires)
    Alert.objects.filter(pk=alert.pk).update(expires=now - timedelta(seconds=1))
    assert "Emergency in progress" not in client.get("/en/").content.decode()


def test_a_signed_in_visitor_gets_the_emergency_page_without_reading_alerts_again(
    client, citizen
) -> None:
    publish(severity=Alert.Severity.SEVERE)
    client.force_login(citizen)
    client.get("/en/")
    with CaptureQueriesContext(connection) as queries:
        home = client.get("/en/").content.decode()
    assert "Emergency in progress" in home
    assert not [q for q in queries.captured_queries if "alerts_alert" in q["sql"]]
