"""A person's requests through /api/v1/requests: file (idempotently), list, read, reopen, follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cityhall.catalog.tests.factories import ServiceFactory, ServiceFieldFactory
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.tests.factories import ServiceRequestFactory, StatusChangeFactory

VALID = {
    "service": "pothole",
    "description": "A deep pothole in front of the school.",
    "latitude": 45.51,
    "longitude": -73.59,
    "answers": {"size": "large"},
}


@pytest.fixture
def pothole(db):
    service = ServiceFactory(code="pothole", department__code="public-works")
    ServiceFieldFactory(service=service, code="size", datatype="string", is_required=True)
    return service


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client


def test_a_citizen_files_a_request_and_reads_it_back(api, pothole, citizen):
    created = api.post("/api/v1/requests", VALID, format="json")

    body = created.json()
    assert created.status_code == 201
    assert body["service"] == "pothole"
    assert body["status"] == "submitted"
    assert body["answers"] == {"size": "large"}
    assert [step["status"] for step in body["timeline"]] == ["submitted"]
    stored = ServiceRequest.objects.get(public_id=body["id"])
    assert stored.reporter == citizen
    assert stored.channel == "api"
    assert api.get(f"/api/v1/requests/{body['id']}").json()["tracking_number"] == (
        stored.tracking_number
    )


def test_a_repeated_idempotency_key_returns_the_first_request(api, pothole):
    first = api.post("/api/v1/requests", VALID, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = api.post(
        "/api/v1/requests",
        {**VALID, "description": "Retried with other words."},
        format="json",
        HTTP_IDEMPOTENCY_KEY="abc-1",
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"service": "no-such-service"}, {"service"}),
        ({"description": "short"}, {"description"}),
        ({"answers": {}}, {"answers.size"}),
        ({"answers": {"size": "large", "colour": "red"}}, {"answers.colour"}),
        ({"latitude": 123}, {"latitude"}),
        ({"longitude": "west"}, {"longitude"}),
        ({"latitude": None}, {"latitude"}),
        ({"priority": "urgent"}, {"priority"}),
        ({"answers": ["large"]}, {"answers"}),
    ],
)
def test_bad_input_is_a_400_naming_each_field_and_nothing_is_stored(api, pothole, change, fields):
    response = api.post("/api/v1/requests", {**VALID, **change}, format="json")

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "invalid"
    assert set(error["fields"]) == fields
    assert not ServiceRequest.objects.exists()
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="servicerequests.").exists()


def test_a_body_that_is_not_json_is_a_400(api, pothole):
    response = api.post("/api/v1/requests", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_the_list_has_only_the_callers_requests_paged_and_filtered(api, citizen, other_citizen):
    for _ in range(3):
        ServiceRequestFactory(reporter=citizen)
    ServiceRequestFactory(reporter=citizen, status="rejected")
    ServiceRequestFactory(reporter=other_citizen)

    first_page = api.get("/api/v1/requests", {"page_size": 2}).json()
    rejected = api.get("/api/v1/requests", {"status": "rejected"}).json()

    assert first_page["count"] == 4
    assert len(first_page["results"]) == 2
    assert first_page["next"] is not None
    assert [item["status"] for item in rejected["results"]] == ["rejected"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "99"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"status": "lost"}, "status.0"),
        ({"sort": "date"}, "sort"),
    ],
)
def test_wrong_list_parameters_are_a_400_on_that_parameter(api, citizen, query, field):
    ServiceRequestFactory(reporter=citizen)

    response = api.get("/api/v1/requests", query)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_another_citizens_request_is_404(api, other_citizen):
    theirs = ServiceRequestFactory(reporter=other_citizen)

    response = api.get(f"/api/v1/requests/{theirs.public_id}")

    assert response.status_code == 404


def test_a_citizen_follows_a_request_by_its_tracking_number_once(api, other_citizen, citizen):
    theirs = ServiceRequestFactory(reporter=other_citizen)

    first = api.post("/api/v1/follows", {"tracking_number": theirs.tracking_number.lower()})
    again = api.post("/api/v1/follows", {"tracking_number": theirs.tracking_number})

    assert (first.status_code, again.status_code) == (201, 201)
    assert theirs.followers.get().user == citizen


def test_a_citizen_unfollows_a_request_and_unfollowing_again_changes_nothing(
    api, other_citizen, citizen
):
    theirs = ServiceRequestFactory(reporter=other_citizen)
    api.post("/api/v1/follows", {"tracking_number": theirs.tracking_number})

    first = api.delete(f"/api/v1/follows/{theirs.tracking_number}")
    again = api.delete(f"/api/v1/follows/{theirs.tracking_number.lower()}")

    assert (first.status_code, again.status_code) == (204, 204)
    assert not theirs.followers.exists()


def test_a_sensitive_request_of_someone_else_cannot_be_followed(api, other_citizen):
    theirs = ServiceRequestFactory(reporter=other_citizen, service__is_sensitive=True)

    response = api.post("/api/v1/follows", {"tracking_number": theirs.tracking_number})

    assert response.status_code == 404
    assert not theirs.followers.exists()


def test_a_session_must_carry_the_csrf_token_to_file(citizen, pothole):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = client.post("/api/v1/requests", VALID, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not ServiceRequest.objects.exists()


def test_the_list_takes_as_many_queries_for_fifteen_requests_as_for_one(
    api, citizen, django_assert_max_num_queries
):
    ServiceRequestFactory(reporter=citizen)
    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/requests")
    for _ in range(14):
        StatusChangeFactory(service_request=ServiceRequestFactory(reporter=citizen))

    with django_assert_max_num_queries(len(one.captured_queries)):
        api.get("/api/v1/requests")


def test_the_reporter_reopens_a_resolved_request_with_a_reason_for_staff(api, citizen):
    resolved = ServiceRequestFactory(
        reporter=citizen, status="resolved", resolved_at=timezone.now() - timedelta(days=2)
    )

    response = api.post(
        f"/api/v1/requests/{resolved.public_id}/reopen", {"reason": "The hole is back."}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert resolved.status_changes.last().internal_note == "The hole is back."


def test_a_request_settled_too_long_ago_cannot_be_reopened(api, citizen):
    old = ServiceRequestFactory(
        reporter=citizen, status="closed", closed_at=timezone.now() - timedelta(days=30)
    )

    response = api.post(f"/api/v1/requests/{old.public_id}/reopen", {"reason": "Still there."})

    old.refresh_from_db()
    assert response.status_code == 409
    assert old.status == "closed"


def test_half_a_point_is_refused_on_the_missing_coordinate(api, pothole):
    body = {key: value for key, value in VALID.items() if key != "longitude"}

    response = api.post("/api/v1/requests", body, format="json")

    assert response.json()["error"]["fields"] == {
        "longitude": ["Give both latitude and longitude."]
    }
    assert not ServiceRequest.objects.exists()


def test_the_reporter_never_sees_internal_notes_or_private_steps(api, citizen):
    mine = ServiceRequestFactory(reporter=citizen)
    StatusChangeFactory(service_request=mine, public_note="Seen.", internal_note="Crew B, grumpy.")
    StatusChangeFactory(service_request=mine, public_note="Hidden step.", is_public=False)

    detail = api.get(f"/api/v1/requests/{mine.public_id}").content.decode()
    listed = api.get("/api/v1/requests").content.decode()

    for text in (detail, listed):
        assert "Seen." in text
        assert "grumpy" not in text
        assert "Hidden step." not in text


def test_a_point_outside_the_city_is_a_400_on_the_location(api, pothole):
    DistrictFactory(south=45.50, west=-73.60, size=0.02)

    response = api.post(
        "/api/v1/requests", {**VALID, "latitude": 48.0, "longitude": -70.0}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["location"]
    assert not ServiceRequest.objects.exists()


def test_a_service_requiring_a_photo_is_a_400_on_the_photos(api, pothole):
    pothole.requires_photo = True
    pothole.save()

    response = api.post("/api/v1/requests", VALID, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "photos": ["Add at least one photo of the problem."]
    }
    assert not ServiceRequest.objects.exists()
