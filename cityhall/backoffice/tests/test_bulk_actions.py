import pytest
from django.contrib.messages import get_messages

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.errors import Conflict
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

BULK = "/en/staff/requests/bulk/"
Status = ServiceRequest.Status


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_acknowledging_several_requests_reports_how_many_changed(agent_client):
    new_ones = ServiceRequestFactory.create_batch(2)
    already = ServiceRequestFactory(status=Status.IN_PROGRESS)
    chosen = [str(sr.public_id) for sr in [*new_ones, already]]

    response = agent_client.post(
        BULK, {"action": "acknowledge", "requests": chosen, "return_query": "order=age"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/en/staff/requests/?order=age"
    assert _messages(response) == ["2 of 3 selected requests changed."]
    statuses = sorted(ServiceRequest.objects.values_list("status", flat=True))
    assert statuses == [Status.ACKNOWLEDGED, Status.ACKNOWLEDGED, Status.IN_PROGRESS]


def test_assigning_several_requests_to_me(agent_client, agent):
    requests = ServiceRequestFactory.create_batch(3)

    response = agent_client.post(
        BULK, {"action": "assign_to_me", "requests": [str(sr.public_id) for sr in requests]}
    )

    assert _messages(response) == ["3 of 3 selected requests changed."]
    assert set(ServiceRequest.objects.values_list("assignee", flat=True)) == {agent.pk}


def test_requests_of_other_departments_are_left_alone(agent_client):
    elsewhere = ServiceRequestFactory(service__department__code="parks")

    response = agent_client.post(
        BULK, {"action": "acknowledge", "requests": [str(elsewhere.public_id)]}
    )

    assert _messages(response) == ["0 of 0 selected requests changed."]
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.SUBMITTED


def test_a_bulk_action_without_a_selection_is_refused_with_a_message(agent_client):
    response = agent_client.post(BULK, {"action": "acknowledge"})

    assert response.status_code == 302
    assert _messages(response) == ["Select at least one request."]


def test_a_failure_part_way_changes_none_of_the_requests(agent_client, monkeypatch):
    requests = ServiceRequestFactory.create_batch(2)
    real = ServiceRequest.objects.select_for_update
    locks_taken: list[bool] = []

    def refuse_the_second(*args, **kwargs):
        # Another clerk moved the second request between the page and the click.
        if locks_taken:
            raise Conflict("Someone else moved it.")
        locks_taken.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(ServiceRequest.objects, "select_for_update", refuse_the_second)

    response = agent_client.post(
        BULK, {"action": "acknowledge", "requests": [str(sr.public_id) for sr in requests]}
    )

    assert _messages(response) == ["Nothing was changed: Someone else moved it."]
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {Status.SUBMITTED}


def test_bulk_actions_need_a_two_factor_staff_session(client, agent):
    service_request = ServiceRequestFactory()
    client.force_login(agent)

    response = client.post(
        BULK, {"action": "acknowledge", "requests": [str(service_request.public_id)]}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/en/staff/sign-in/")
    service_request.refresh_from_db()
    assert service_request.status == Status.SUBMITTED
