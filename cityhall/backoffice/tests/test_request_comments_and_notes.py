import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.selectors import get_public_service_request
from cityhall.servicerequests.services import add_comment
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

Status = ServiceRequest.Status


def _page(service_request: ServiceRequest, action: str = "") -> str:
    return f"/en/staff/requests/{service_request.public_id}/{action}"


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def test_staff_read_citizens_comments_with_who_wrote_them(agent_client, citizen, other_citizen):
    service_request = ServiceRequestFactory(reporter=citizen)
    FollowerFactory(service_request=service_request, user=other_citizen)
    add_comment(service_request=service_request, author=citizen, body="Water is rising.")
    add_comment(service_request=service_request, author=other_citizen, body="Seen it too.")

    before = agent_client.get(_page(service_request)).content.decode()
    agent_client.post(_page(service_request, "contact/"), {"reveal-reason": "handling"})
    page = agent_client.get(_page(service_request)).content.decode()

    assert "Water is rising." in before
    assert "Seen it too." in before
    assert "Camille Tremblay" not in before
    assert "Olivier Roy" not in before
    assert "Reporter · Camille Tremblay" in page
    assert "Follower · Olivier Roy" in page


def test_an_agent_adds_an_internal_note_shown_in_the_history_with_who_and_when(agent_client, agent):
    service_request = ServiceRequestFactory(status=Status.ACKNOWLEDGED)

    response = agent_client.post(
        _page(service_request), {"note-internal_note": "Called the contractor."}
    )

    assert response.status_code == 302
    page = agent_client.get(_page(service_request)).content.decode()
    assert "The internal note is in the timeline." in page
    assert "Internal note (staff only):</strong> Called the contractor." in page
    step = StatusChange.objects.get(service_request=service_request)
    assert step.actor == agent
    assert step.created_at.strftime("%Y") in page
    service_request.refresh_from_db()
    assert service_request.status == Status.ACKNOWLEDGED
    public = get_public_service_request(tracking_number=service_request.tracking_number)
    assert public.timeline == []


def test_an_empty_note_comes_back_with_its_error(agent_client):
    service_request = ServiceRequestFactory()

    response = agent_client.post(_page(service_request), {"note-internal_note": " "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert "Write the note." in page
    assert not StatusChange.objects.exists()


def test_an_agent_of_another_department_cannot_add_a_note(client, outside_agent):
    service_request = ServiceRequestFactory()
    sign_in_with_two_factor(client, outside_agent)

    response = client.post(_page(service_request), {"note-internal_note": "Sneaky."})

    assert response.status_code == 404
    assert not StatusChange.objects.exists()
