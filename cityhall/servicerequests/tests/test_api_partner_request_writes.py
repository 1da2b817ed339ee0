"""Members of the assigned partner move its requests on and post updates through the API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cityhall.accounts.models import ApiKey
from cityhall.accounts.tests.api_callers import key_headers, token_headers
from cityhall.accounts.tests.factories import PartnerMembershipFactory, PartnerOrganisationFactory
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def hydro(db):
    return PartnerOrganisationFactory(name="Hydro Rivière")


@pytest.fixture
def member(hydro):
    return PartnerMembershipFactory(organisation=hydro).user


def _client(authorization: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization)
    return client


@pytest.fixture
def api(member):
    return _client(token_headers(member)["Authorization"])


@pytest.fixture
def acknowledged(hydro):
    return ServiceRequestFactory(assigned_partner=hydro, status="acknowledged")


def test_a_member_starts_the_work_with_a_note_for_city_staff(api, member, acknowledged):
    url = f"/api/v1/partner/requests/{acknowledged.public_id}/status"

    response = api.post(url, {"status": "in_progress", "internal_note": "Crew 4."}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert "Crew 4." not in response.content.decode()
    step = StatusChange.objects.get(service_request=acknowledged, to_status="in_progress")
    assert (step.actor, step.internal_note) == (member, "Crew 4.")
    event = AuditEvent.objects.get(action="servicerequests.status_changed")
    assert (event.actor, event.target_id) == (member, str(acknowledged.public_id))


def test_a_member_resolves_with_a_note_the_reporter_reads(api, hydro):
    started = ServiceRequestFactory(assigned_partner=hydro, status="in_progress")
    url = f"/api/v1/partner/requests/{started.public_id}/status"

    response = api.post(url, {"status": "resolved", "public_note": "Line repaired."}, format="json")

    assert response.status_code == 200
    assert response.json()["timeline"][-1]["note"] == "Line repaired."


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [("in_progress", "on_hold"), ("acknowledged", "rejected")],
)
def test_a_member_cannot_make_a_staff_only_transition(api, hydro, from_status, to_status):
    service_request = ServiceRequestFactory(assigned_partner=hydro, status=from_status)
    url = f"/api/v1/partner/requests/{service_request.public_id}/status"

    response = api.post(url, {"status": to_status}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    service_request.refresh_from_db()
    assert service_request.status == from_status


def test_a_request_of_another_partner_is_404(api):
    theirs = ServiceRequestFactory(
        assigned_partner=PartnerOrganisationFactory(), status="acknowledged"
    )

    status_response = api.post(
        f"/api/v1/partner/requests/{theirs.public_id}/status", {"status": "in_progress"}
    )
    update_response = api.post(
        f"/api/v1/partner/requests/{theirs.public_id}/updates", {"public_note": "Hello."}
    )

    assert (status_response.status_code, update_response.status_code) == (404, 404)
    assert not StatusChange.objects.filter(service_request=theirs).exists()


def test_a_member_posts_a_public_update_audited_in_their_name(api, member, acknowledged):
    url = f"/api/v1/partner/requests/{acknowledged.public_id}/updates"

    response = api.post(url, {"public_note": "The crew comes on Monday."}, format="json")

    assert response.status_code == 201
    assert response.json()["timeline"][-1]["note"] == "The crew comes on Monday."
    event = AuditEvent.objects.get(action="servicerequests.public_update_posted")
    assert event.actor == member


def test_an_empty_update_names_the_field(api, acknowledged):
    url = f"/api/v1/partner/requests/{acknowledged.public_id}/updates"

    response = api.post(url, {"public_note": "   "}, format="json")

    assert response.status_code == 400
    assert "public_note" in response.json()["error"]["fields"]


def test_a_key_with_the_write_scope_starts_the_work_in_its_organisations_name(hydro, acknowledged):
    api = _client(key_headers(hydro, ["requests:read", "requests:write"])["Authorization"])
    url = f"/api/v1/partner/requests/{acknowledged.public_id}/status"

    response = api.post(url, {"status": "in_progress", "public_note": "On it."}, format="json")

    assert response.status_code == 200
    step = StatusChange.objects.get(service_request=acknowledged, to_status="in_progress")
    assert step.actor is None
    event = AuditEvent.objects.get(action="servicerequests.status_changed")
    assert event.actor is None
    assert event.data == {
        "from": "acknowledged",
        "to": "in_progress",
        "organisation": str(hydro.public_id),
        "api_key": str(ApiKey.objects.get(organisation=hydro).public_id),
    }


def test_a_key_posts_an_update_but_not_on_another_partners_request(hydro, acknowledged):
    api = _client(key_headers(hydro, ["requests:write"])["Authorization"])
    theirs = ServiceRequestFactory(assigned_partner=PartnerOrganisationFactory())

    ours = api.post(
        f"/api/v1/partner/requests/{acknowledged.public_id}/updates", {"public_note": "Monday."}
    )
    other = api.post(f"/api/v1/partner/requests/{theirs.public_id}/updates", {"public_note": "Hi"})

    assert (ours.status_code, other.status_code) == (201, 404)


def test_a_key_without_the_write_scope_cannot_change_a_request(hydro, acknowledged):
    api = _client(key_headers(hydro, ["requests:read"])["Authorization"])
    url = f"/api/v1/partner/requests/{acknowledged.public_id}"

    status_response = api.post(f"{url}/status", {"status": "in_progress"}, format="json")
    update_response = api.post(f"{url}/updates", {"public_note": "Hello."}, format="json")

    assert (status_response.status_code, update_response.status_code) == (403, 403)
    acknowledged.refresh_from_db()
    assert acknowledged.status == ServiceRequest.Status.ACKNOWLEDGED


def test_a_member_adds_a_note_only_city_staff_read(api, member, acknowledged):
    url = f"/api/v1/partner/requests/{acknowledged.public_id}/notes"

    response = api.post(url, {"internal_note": "Gas line nearby."}, format="json")

    assert response.status_code == 201
    assert "Gas line" not in response.content.decode()
    step = StatusChange.objects.get(service_request=acknowledged, is_public=False)
    assert (step.actor, step.internal_note, step.to_status) == (
        member,
        "Gas line nearby.",
        "acknowledged",
    )


def test_a_key_adds_a_note_in_its_organisations_name(hydro, acknowledged):
    api = _client(key_headers(hydro, ["requests:write"])["Authorization"])
    url = f"/api/v1/partner/requests/{acknowledged.public_id}/notes"

    response = api.post(url, {"internal_note": "Crew 4 booked."}, format="json")

    assert response.status_code == 201
    event = AuditEvent.objects.get(action="servicerequests.internal_note_added")
    assert event.actor is None
    assert event.data["organisation"] == str(hydro.public_id)
