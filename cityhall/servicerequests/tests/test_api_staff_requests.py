"""Staff work their queue through /api/v1/staff/requests: filters, detail, status, assignment."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cityhall.accounts.tests.api_callers import session_client, token_headers
from cityhall.accounts.tests.factories import PartnerOrganisationFactory, StaffRoleFactory
from cityhall.core.models import AuditEvent
from cityhall.places.tests.factories import DistrictFactory
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def api(agent):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(agent)["Authorization"])
    return client


@pytest.fixture
def mine(agent, citizen):
    return ServiceRequestFactory(
        reporter=citizen, service__code="pothole", contact_phone="514-555-0100"
    )


def test_the_queue_holds_the_departments_open_requests_soonest_due_first(api, mine, outside_agent):
    later = ServiceRequestFactory(service=mine.service, due_at=timezone.now() + timedelta(days=3))
    sooner = ServiceRequestFactory(service=mine.service, due_at=timezone.now() + timedelta(days=1))
    ServiceRequestFactory(service=mine.service, status="closed", closed_at=timezone.now())
    ServiceRequestFactory(service__department__code="parks")

    response = api.get("/api/v1/staff/requests")

    ids = [item["id"] for item in response.json()["results"]]
    assert ids == [str(sooner.public_id), str(later.public_id), str(mine.public_id)]


def test_the_queue_filters_by_service_status_assignee_and_overdue(api, agent, mine):
    overdue = ServiceRequestFactory(
        service=mine.service, assignee=agent, due_at=timezone.now() - timedelta(hours=1)
    )

    mine_only = api.get("/api/v1/staff/requests", {"assigned_to_me": "true"}).json()
    late = api.get("/api/v1/staff/requests", {"overdue": "true"}).json()
    by_service = api.get("/api/v1/staff/requests", {"service": "pothole"}).json()
    closed = api.get("/api/v1/staff/requests", {"status": ["closed"]}).json()

    assert [item["id"] for item in mine_only["results"]] == [str(overdue.public_id)]
    assert [item["id"] for item in late["results"]] == [str(overdue.public_id)]
    assert by_service["count"] == 2
    assert closed["count"] == 0


def test_the_queue_filters_by_creation_dates(api, mine):
    old = ServiceRequestFactory(service=mine.service)
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))

    recent = api.get("/api/v1/staff/requests", {"created_after": "2000-01-01T00:00:00Z"})
    older = api.get(
        "/api/v1/staff/requests",
        {"created_before": (timezone.now() - timedelta(days=5)).isoformat()},
    )

    assert recent.json()["count"] == 2
    assert [item["id"] for item in older.json()["results"]] == [str(old.public_id)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"service": "nope"}, "service"),
        ({"overdue": "maybe"}, "overdue"),
        ({"x": "1"}, "x"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_after": "2026-13-40"}, "created_after"),
        (
            {"created_after": "2026-02-01T00:00:00Z", "created_before": "2026-01-01T00:00:00Z"},
            "created_before",
        ),
    ],
)
def test_wrong_queue_filters_are_a_400_on_that_filter(api, mine, query, field):
    response = api.get("/api/v1/staff/requests", query)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_the_detail_shows_contact_details_with_a_reason_and_the_read_is_audited(api, mine, agent):
    without = api.get(f"/api/v1/staff/requests/{mine.public_id}").json()
    response = api.get(f"/api/v1/staff/requests/{mine.public_id}", {"reason": "handling"})

    assert "contact_phone" not in without
    assert without["contact_revealed"] is False
    assert response.json()["contact_phone"] == "514-555-0100"
    assert AuditEvent.objects.filter(action__endswith="viewed_by_staff", actor=agent).exists()
    reveal = AuditEvent.objects.get(action__endswith="contact_details_viewed", actor=agent)
    assert reveal.data == {"reason": "handling"}


def test_another_departments_request_is_404_for_staff(api, outside_agent):
    elsewhere = ServiceRequestFactory(service__department__code="parks")

    response = api.get(f"/api/v1/staff/requests/{elsewhere.public_id}")

    assert response.status_code == 404


def test_a_status_change_with_notes_lands_on_the_timeline(api, mine):
    response = api.post(
        f"/api/v1/staff/requests/{mine.public_id}/status",
        {"status": "acknowledged", "public_note": "On our list.", "internal_note": "Crew B."},
        format="json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "acknowledged"
    assert body["timeline"][-1]["note"] == "On our list."
    assert body["timeline"][-1]["internal_note"] == "Crew B."


def test_a_public_update_reaches_the_timeline_and_leaves_the_status(api, mine):
    response = api.post(
        f"/api/v1/staff/requests/{mine.public_id}/updates",
        {"public_note": "The crew is on its way."},
        format="json",
    )
    empty = api.post(
        f"/api/v1/staff/requests/{mine.public_id}/updates", {"public_note": ""}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "submitted"
    assert response.json()["timeline"][-1]["note"] == "The crew is on its way."
    assert empty.json()["error"]["fields"].keys() == {"public_note"}


def test_a_transition_the_workflow_refuses_is_a_409_and_changes_nothing(api, mine):
    response = api.post(
        f"/api/v1/staff/requests/{mine.public_id}/status", {"status": "closed"}, format="json"
    )

    mine.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert mine.status == "submitted"


def test_an_unknown_status_is_a_400(api, mine):
    response = api.post(
        f"/api/v1/staff/requests/{mine.public_id}/status", {"status": "done"}, format="json"
    )

    assert response.json()["error"]["fields"].keys() == {"status"}


def test_staff_assign_a_colleague_and_unassign(api, mine, supervisor):
    url = f"/api/v1/staff/requests/{mine.public_id}/assignee"

    given = api.put(url, {"assignee": str(supervisor.public_id)}, format="json")
    taken_back = api.put(url, {"assignee": None}, format="json")

    assert given.json()["assignee"] == str(supervisor.public_id)
    assert taken_back.json()["assignee"] is None


def test_staff_hand_a_request_to_a_partner_and_take_it_back(api, mine):
    hydro = PartnerOrganisationFactory(name="Hydro Rivière")
    url = f"/api/v1/staff/requests/{mine.public_id}/partner"

    given = api.put(url, {"partner": str(hydro.public_id)}, format="json")
    taken_back = api.put(url, {"partner": None}, format="json")
    unknown = api.put(url, {"partner": str(uuid.uuid4())}, format="json")

    assert given.json()["partner"] == str(hydro.public_id)
    assert taken_back.json()["partner"] is None
    assert unknown.json()["error"]["fields"].keys() == {"partner"}


def test_someone_outside_the_department_cannot_be_assigned(api, mine, outside_agent):
    response = api.put(
        f"/api/v1/staff/requests/{mine.public_id}/assignee",
        {"assignee": str(outside_agent.public_id)},
        format="json",
    )

    mine.refresh_from_db()
    assert response.status_code == 400
    assert response.json()["error"]["fields"].keys() == {"assignee"}
    assert mine.assignee is None


def test_a_staff_session_without_two_factor_is_refused(agent, mine):
    response = session_client(agent).get("/api/v1/staff/requests")

    assert response.status_code == 403


def test_the_queue_takes_as_many_queries_for_fifteen_requests_as_for_one(
    api, mine, agent, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/staff/requests")
    for _ in range(14):
        ServiceRequestFactory(
            service=mine.service,
            assignee=agent,
            assigned_partner=PartnerOrganisationFactory(),
            district=DistrictFactory(),
        )

    with django_assert_max_num_queries(len(one.captured_queries)):
        api.get("/api/v1/staff/requests")


@pytest.mark.parametrize("role", ["privacy_officer", "communications_officer"])
def test_a_city_wide_role_that_does_not_handle_requests_is_refused_the_staff_api(role, mine):
    officer = StaffRoleFactory(role=role, department=None).user
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(officer)["Authorization"])

    queue = client.get("/api/v1/staff/requests")
    detail = client.get(f"/api/v1/staff/requests/{mine.public_id}")
    change = client.post(
        f"/api/v1/staff/requests/{mine.public_id}/updates", {"public_note": "Hi"}, format="json"
    )

    assert (queue.status_code, detail.status_code, change.status_code) == (403, 403, 403)


def test_a_privacy_officer_who_is_also_an_agent_handles_only_the_agents_department(mine):
    ServiceRequestFactory(service__department__code="parks")
    officer = StaffRoleFactory(role="privacy_officer", department=None).user
    StaffRoleFactory(user=officer, role="agent", department=mine.department)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_headers(officer)["Authorization"])

    queue = client.get("/api/v1/staff/requests").json()

    assert [item["id"] for item in queue["results"]] == [str(mine.public_id)]
