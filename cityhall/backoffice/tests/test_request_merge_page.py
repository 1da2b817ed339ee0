"""Staff merge any request they can handle into another, named by its tracking number, whether
or not the system flagged the two as likely duplicates."""

import pytest
from django.utils import timezone

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import FollowerFactory, ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

Status = ServiceRequest.Status


def _page(service_request: ServiceRequest, action: str = "") -> str:
    return f"/en/staff/requests/{service_request.public_id}/{action}"


@pytest.fixture
def agent_client(client, agent):
    sign_in_with_two_factor(client, agent)
    return client


def test_the_merge_form_is_offered_without_any_likely_duplicate(agent_client):
    service_request = ServiceRequestFactory()

    response = agent_client.get(_page(service_request))

    assert response.context["duplicates"] == []
    assert 'name="merge-tracking_number"' in response.content.decode()


def test_an_agent_merges_a_request_into_one_named_by_its_tracking_number(
    agent_client, citizen, other_citizen
):
    original = ServiceRequestFactory(tracking_number="PW-2026-00001")
    duplicate = ServiceRequestFactory(reporter=citizen)
    FollowerFactory(service_request=duplicate, user=other_citizen)

    response = agent_client.post(
        _page(duplicate, "merge/"), {"merge-tracking_number": " pw-2026-00001 "}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_page(original)}#merged"
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DUPLICATE
    assert duplicate.duplicate_of == original
    assert set(original.followers.values_list("user_id", flat=True)) == {
        citizen.pk,
        other_citizen.pk,
    }


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "A request cannot be merged into itself."),
        ("unknown", "No request you handle has this tracking number."),
        ("elsewhere", "No request you handle has this tracking number."),
        ("merged", "is itself merged into"),
    ],
)
def test_a_refused_merge_is_explained_beside_the_form_and_changes_nothing(
    agent_client, target, message
):
    duplicate = ServiceRequestFactory()
    merged = ServiceRequestFactory(status=Status.DUPLICATE, duplicate_of=ServiceRequestFactory())
    numbers = {
        "self": duplicate.tracking_number,
        "unknown": "PW-0000-99999",
        "elsewhere": ServiceRequestFactory(service__department__code="parks").tracking_number,
        "merged": merged.tracking_number,
    }

    response = agent_client.post(
        _page(duplicate, "merge/"), {"merge-tracking_number": numbers[target]}
    )

    assert response.status_code == 200
    assert message in str(response.context["merge_form"].errors)
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED


def test_a_settled_request_cannot_be_merged_and_the_form_is_not_offered(agent_client):
    closed = ServiceRequestFactory(status=Status.CLOSED, closed_at=timezone.now())
    original = ServiceRequestFactory()

    page = agent_client.get(_page(closed))
    response = agent_client.post(
        _page(closed, "merge/"), {"merge-tracking_number": original.tracking_number}
    )

    assert "merge_form" not in page.context
    assert response.status_code == 200
    assert "Only an open request can be merged." in str(response.context["merge_form"].errors)
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED


def test_an_agent_of_another_department_cannot_merge(client, outside_agent):
    duplicate = ServiceRequestFactory()
    original = ServiceRequestFactory()
    sign_in_with_two_factor(client, outside_agent)

    response = client.post(
        _page(duplicate, "merge/"), {"merge-tracking_number": original.tracking_number}
    )

    assert response.status_code == 404
    duplicate.refresh_from_db()
    assert duplicate.status == Status.SUBMITTED
