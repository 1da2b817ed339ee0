"""The back office's alert drafting pages: the list, the draft form with its checks, the
live reach count, updates and cancellations."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts.tests.factories import StaffRoleFactory
from cityhall.alerts.models import Alert
from cityhall.alerts.tests.alert_factories import AlertFactory, officer
from cityhall.alerts.tests.factories import AlertSubscriberFactory
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.places.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db
FAN_OUT = "cityhall.alerts.services.workflow.start_fan_out"
LOCAL = "%Y-%m-%dT%H:%M"


def form_data(**overrides: Any) -> dict[str, Any]:
    """A complete draft over the districts given as `districts`."""
    now = timezone.localtime()
    data: dict[str, Any] = {
        "status": "Actual",
        "category": "Met",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Likely",
        "onset": now.strftime(LOCAL),
        "expires": (now + timedelta(hours=6)).strftime(LOCAL),
        "web": "",
        "area_kind": "districts",
        "en_event": "Flood warning",
        "en_headline": "Flooding along the river",
        "en_short_text": "Flood warning: move away from the river now.",
        "en_description": "The river is rising quickly.",
        "en_instruction": "Move to higher ground.",
        "en_area_description": "Riverside",
        "fr_event": "Avertissement d'inondation",
        "fr_headline": "Inondation le long de la rivière",
        "fr_short_text": "Avertissement d'inondation : éloignez-vous de la rivière.",
        "fr_description": "La rivière monte rapidement.",
        "fr_instruction": "Gagnez un terrain plus élevé.",
        "fr_area_description": "Quartier riverain",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client):
    user = officer()
    sign_in_with_two_factor(client, user)
    return user


def test_an_agent_without_the_capability_cannot_open_the_alert_pages(client) -> None:
    agent = StaffRoleFactory(role="agent", department=None).user
    sign_in_with_two_factor(client, agent)
    assert client.get(reverse("backoffice:alerts")).status_code == 403
    assert client.get(reverse("backoffice:alert_new")).status_code == 403


def test_the_list_shows_alerts_under_their_state(client, signed_in) -> None:
    AlertFactory(with_texts__headline="Boil water in the east")
    page = client.get(reverse("backoffice:alerts")).content.decode()
    assert "Boil water in the east" in page
    assert page.index("Published") < page.index("Boil water in the east")


def test_an_officer_drafts_an_alert_over_districts(client, signed_in) -> None:
    district = DistrictFactory()
    response = client.post(
        reverse("backoffice:alert_new"), form_data(districts=[str(district.public_id)])
    )
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:alert_detail", args=[alert.public_id])
    assert alert.state == Alert.State.DRAFT
    assert list(alert.districts.all()) == [district]
    assert alert.texts.get(language="fr").headline == "Inondation le long de la rivière"


def test_a_drawn_polygon_is_kept_as_the_area(client, signed_in) -> None:
    DistrictFactory()
    ring = [[-73.59, 45.505], [-73.585, 45.505], [-73.585, 45.51], [-73.59, 45.505]]
    polygon = json.dumps({"type": "Polygon", "coordinates": [ring]})
    client.post(
        reverse("backoffice:alert_new"), form_data(area_kind="polygon", area_geojson=polygon)
    )
    assert Alert.objects.get().area_kind == Alert.AreaKind.POLYGON


def test_a_circle_is_kept_with_its_centre_and_radius(client, signed_in) -> None:
    DistrictFactory()
    data = form_data(
        area_kind="circle",
        circle_latitude="45.51",
        circle_longitude="-73.59",
        circle_radius_km="0.5",
    )
    client.post(reverse("backoffice:alert_new"), data)
    alert = Alert.objects.get()
    assert (alert.circle_latitude, alert.circle_radius_km) == (45.51, 0.5)


def test_an_uploaded_geojson_file_gives_the_area(client, signed_in) -> None:
    DistrictFactory()
    ring = [[-73.59, 45.505], [-73.585, 45.505], [-73.585, 45.51], [-73.59, 45.505]]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    upload = SimpleUploadedFile(
        "area.geojson", json.dumps(feature).encode(), "application/geo+json"
    )
    client.post(
        reverse("backoffice:alert_new"), {**form_data(area_kind="upload"), "area_file": upload}
    )
    assert Alert.objects.get().area_kind == Alert.AreaKind.UPLOAD


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "area_kind": "polygon",
                "area_geojson": json.dumps(
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [
                                [-73.59, 45.505],
                                [-73.585, 45.51],
                                [-73.585, 45.505],
                                [-73.59, 45.51],
                                [-73.59, 45.505],
                            ]
                        ],
                    }
                ),
            },
            "area_geojson",
            "crosses itself",
        ),
        (
            {
                "area_kind": "polygon",
                "area_geojson": json.dumps(
                    {
                        "type": "Polygon",
                        "coordinates": [[[2.0, 48.0], [2.1, 48.0], [2.1, 48.1], [2.0, 48.0]]],
                    }
                ),
            },
            "area_geojson",
            "outside the city",
        ),
        ({"fr_headline": "", "fr_short_text": ""}, "fr_headline", "French"),
        ({"en_short_text": "x" * 361}, "en_short_text", "at most 360"),
        ({"area_kind": "districts"}, "districts", "at least one district"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_saved(
    client, signed_in, overrides, field, message
) -> None:
    DistrictFactory()
    response = client.post(reverse("backoffice:alert_new"), form_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert not Alert.objects.exists()


def test_an_expiry_before_the_onset_is_refused(client, signed_in) -> None:
    district = DistrictFactory()
    now = timezone.localtime()
    data = form_data(
        districts=[str(district.public_id)],
        onset=now.strftime(LOCAL),
        expires=(now - timedelta(hours=1)).strftime(LOCAL),
    )
    response = client.post(reverse("backoffice:alert_new"), data)
    assert response.status_code == 400
    assert "expire after its onset" in " ".join(response.context["form"].errors["expires"])
    assert not Alert.objects.exists()


def test_the_form_offers_a_short_text_counter_in_french(client, signed_in) -> None:
    page = client.get("/fr/staff/alerts/new/").content.decode()
    assert 'data-counter-for="id_fr_short_text"' in page
    assert 'lang="fr"' in page


def test_the_reach_count_counts_the_subscribers_inside_the_area(client, signed_in) -> None:
    district = DistrictFactory()
    AlertSubscriberFactory(latitude=45.51, longitude=-73.59)
    AlertSubscriberFactory(latitude=45.40, longitude=-73.40)
    response = client.post(
        reverse("backoffice:alert_reach"),
        {"area_kind": "districts", "districts": [str(district.public_id)]},
    )
    assert response.json() == {"count": 1}


def test_the_reach_count_explains_an_unusable_area(client, signed_in) -> None:
    response = client.post(reverse("backoffice:alert_reach"), {"area_kind": "districts"})
    assert response.status_code == 400
    assert "district" in response.json()["error"]


def test_a_draft_can_be_changed(client, signed_in) -> None:
    district = DistrictFactory()
    client.post(reverse("backoffice:alert_new"), form_data(districts=[str(district.public_id)]))
    alert = Alert.objects.get()
    url = reverse("backoffice:alert_edit", args=[alert.public_id])
    assert "Flooding along the river" in client.get(url).content.decode()
    client.post(
        url, form_data(districts=[str(district.public_id)], en_headline="Flood: new headline")
    )
    assert alert.texts.get(language="en").headline == "Flood: new headline"


def test_an_update_of_a_published_alert_is_drafted_referencing_it(client, signed_in) -> None:
    district = DistrictFactory()
    original = AlertFactory()
    url = reverse("backoffice:alert_update", args=[original.public_id])
    assert client.get(url).status_code == 200
    client.post(
        url, form_data(districts=[str(district.public_id)], en_headline="Water still rising")
    )
    update = Alert.objects.get(references=original)
    assert update.msg_type == Alert.MsgType.UPDATE
    assert update.state == Alert.State.DRAFT


def test_a_cancellation_is_drafted_with_its_texts(client, signed_in) -> None:
    original = AlertFactory()
    url = reverse("backoffice:alert_cancel", args=[original.public_id])
    texts = {k: v for k, v in form_data().items() if k[:3] in ("en_", "fr_")}
    texts["en_headline"] = "The flood warning is over"
    response = client.post(url, texts)
    cancellation = Alert.objects.get(references=original)
    assert response.status_code == 302
    assert cancellation.msg_type == Alert.MsgType.CANCEL
    assert original.state == Alert.State.PUBLISHED  # until a second officer approves


def test_publication_is_not_started_by_drafting(client, signed_in) -> None:
    district = DistrictFactory()
    with mock.patch(FAN_OUT) as fan_out:
        client.post(reverse("backoffice:alert_new"), form_data(districts=[str(district.public_id)]))
    fan_out.assert_not_called()
    assert not Alert.objects.filter(state=Alert.State.PUBLISHED).exists()
