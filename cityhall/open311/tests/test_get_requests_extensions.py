"""The widely used extensions of GET requests: extensions=true, the agency and media_url."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.accounts.tests.factories import PartnerOrganisationFactory
from cityhall.open311.tests.contract import parse_xml
from cityhall.servicerequests.models import StatusChange
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

URL = "/open311/v2/requests.json"


@pytest.fixture
def worked_on(pothole):
    service_request = ServiceRequestFactory(
        service=pothole, status="in_progress", media_url="https://photos.example.org/7.jpg"
    )
    start = timezone.now() - timedelta(hours=2)
    for minutes, status, note in ((0, "submitted", ""), (30, "in_progress", "Crew sent.")):
        step = StatusChangeFactory(
            service_request=service_request, to_status=status, public_note=note
        )
        StatusChange.objects.filter(pk=step.pk).update(
            created_at=start + timedelta(minutes=minutes)
        )
    StatusChangeFactory(
        service_request=service_request, internal_note="Staff only", is_public=False
    )
    return service_request


def test_without_extensions_there_are_no_extended_attributes(client, worked_on):
    item = client.get(URL).json()[0]

    assert "extended_attributes" not in item


def test_extensions_give_the_public_status_history_oldest_first(client, worked_on):
    item = client.get(URL, {"extensions": "true"}).json()[0]

    history = item["extended_attributes"]["status_history"]
    assert [(step["status"], step["platform_status"]) for step in history] == [
        ("open", "submitted"),
        ("open", "in_progress"),
    ]
    assert [step["status_notes"] for step in history] == [None, "Crew sent."]
    assert all(step["updated_datetime"][-6] in "+-" for step in history)
    assert item["extended_attributes"]["platform_status"] == "in_progress"


def test_the_agency_is_the_department_or_the_assigned_partner(client, worked_on):
    department = worked_on.department.name_en

    before = client.get(URL, {"extensions": "true"}).json()[0]
    worked_on.assigned_partner = PartnerOrganisationFactory(name="Asphalt Partners")
    worked_on.save()
    after = client.get(URL, {"extensions": "true"}).json()[0]

    assert before["agency_responsible"] == department
    assert before["extended_attributes"]["assigned_agency"] == department
    assert after["agency_responsible"] == department
    assert after["extended_attributes"]["assigned_agency"] == "Asphalt Partners"


def test_the_agency_name_follows_the_language(client, worked_on):
    worked_on.department.name_fr = "Travaux publics"
    worked_on.department.save()

    item = client.get(URL, {"lang": "fr"}).json()[0]

    assert item["agency_responsible"] == "Travaux publics"


def test_extensions_in_xml_name_each_step(client, worked_on):
    response = client.get("/open311/v2/requests.xml", {"extensions": "true"})

    document = parse_xml(response.content)
    steps = document.findall("request/extended_attributes/status_history/status_change")
    assert [step.findtext("platform_status") for step in steps] == ["submitted", "in_progress"]


def test_one_request_takes_extensions_too(client, worked_on):
    url = f"/open311/v2/requests/{worked_on.tracking_number}.json"

    item = client.get(url, {"extensions": "true"}).json()[0]

    assert len(item["extended_attributes"]["status_history"]) == 2


def test_the_clients_own_media_url_is_given_back(client, worked_on):
    assert client.get(URL).json()[0]["media_url"] == "https://photos.example.org/7.jpg"


@pytest.mark.parametrize("value", ["yes", "1", "maybe"])
def test_extensions_other_than_true_or_false_are_a_400(client, db, value):
    response = client.get(URL, {"extensions": value})

    assert response.status_code == 400
    assert "extensions" in response.json()[0]["description"]


def test_an_open_request_is_expected_by_its_due_date_and_a_settled_one_is_not(client, pothole):
    due = timezone.now() + timedelta(days=3)
    open_one = ServiceRequestFactory(service=pothole, due_at=due)
    ServiceRequestFactory(service=pothole, due_at=due, status="rejected")

    items = {item["service_request_id"]: item for item in client.get(URL).json()}

    expected = timezone.localtime(due).isoformat(timespec="seconds")
    assert items.pop(open_one.tracking_number)["expected_datetime"] == expected
    assert [item["expected_datetime"] for item in items.values()] == [None]
