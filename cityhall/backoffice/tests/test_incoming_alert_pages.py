"""Alerts received from other authorities in the back office: the list, one alert, and its
re-broadcast as a prefilled draft that still needs a second officer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cityhall.alerts.cap import cap_document
from cityhall.alerts.cap_input import read_cap
from cityhall.alerts.incoming import receive_cap
from cityhall.alerts.models import Alert, IncomingAlert
from cityhall.alerts.tests.alert_factories import AlertFactory, officer
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.backoffice.tests.test_alert_authoring_pages import form_data
from cityhall.places.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def received() -> IncomingAlert:
    DistrictFactory()
    document = cap_document(AlertFactory(with_texts__headline="Storm on the coast"))
    Alert.objects.all().delete()
    incoming, _created = receive_cap(read_cap(document), source=IncomingAlert.Source.API)
    return incoming


def test_the_list_and_the_page_show_the_received_alert(client, received) -> None:
    sign_in_with_two_factor(client, officer())
    listing = client.get(reverse("backoffice:incoming_alerts")).content.decode()
    assert "Storm on the coast" in listing
    page = client.get(reverse("backoffice:incoming_alert", args=[received.public_id]))
    assert "Re-broadcast to the city" in page.content.decode()


def test_re_broadcasting_prefills_a_draft_and_records_it(client, received) -> None:
    user = officer()
    sign_in_with_two_factor(client, user)
    url = f"{reverse('backoffice:alert_new')}?from={received.public_id}"
    form = client.get(url).context["form"]
    assert form.initial["en_headline"] == "Storm on the coast"
    assert form.initial["area_kind"] == Alert.AreaKind.POLYGON

    data = form_data(
        area_kind="polygon", area_geojson=form.initial["area_geojson"], en_headline="Storm"
    )
    response = client.post(url, data)

    alert = Alert.objects.get()
    assert response.status_code == 302
    assert alert.state == Alert.State.DRAFT
    received.refresh_from_db()
    assert received.rebroadcast_as == alert
