import pytest

from cityhall.core.errors import InvalidInput, NotFound
from cityhall.core.models import AuditEvent
from cityhall.notifications.models import Notification
from cityhall.servicerequests.models import ServiceRequest, StatusChange
from cityhall.servicerequests.selectors import get_public_service_request, partner_view_of
from cityhall.servicerequests.services import add_internal_note
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status


@pytest.fixture
def service_request(citizen):
    return ServiceRequestFactory(reporter=citizen, status=Status.ACKNOWLEDGED)


def test_an_agent_adds_a_note_that_keeps_the_status_and_is_audited(service_request, agent):
    step = add_internal_note(
        service_request=service_request, actor=agent, internal_note=" Crew booked for Tuesday. "
    )

    service_request.refresh_from_db()
    assert service_request.status == Status.ACKNOWLEDGED
    assert (step.from_status, step.to_status) == (Status.ACKNOWLEDGED, Status.ACKNOWLEDGED)
    assert (step.actor, step.internal_note, step.is_public) == (
        agent,
        "Crew booked for Tuesday.",
        False,
    )
    assert AuditEvent.objects.filter(
        actor=agent,
        action="servicerequests.internal_note_added",
        target_id=str(service_request.public_id),
    ).exists()


def test_citizens_and_partners_never_see_the_note(service_request, agent):
    add_internal_note(service_request=service_request, actor=agent, internal_note="Secret.")

    public = get_public_service_request(tracking_number=service_request.tracking_number)
    assert public.timeline == []
    assert partner_view_of(service_request).timeline == []


def test_nobody_is_told_of_a_note(service_request, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_internal_note(service_request=service_request, actor=agent, internal_note="Quiet.")

    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["outside_agent", "partner", "citizen"])
def test_only_staff_of_the_department_may_add_a_note(service_request, request, who):
    with pytest.raises(NotFound):
        add_internal_note(
            service_request=service_request, actor=request.getfixturevalue(who), internal_note="x"
        )

    assert not StatusChange.objects.exists()


def test_an_empty_note_is_refused_on_its_field(service_request, agent):
    with pytest.raises(InvalidInput) as refused:
        add_internal_note(service_request=service_request, actor=agent, internal_note="  ")

    assert list(refused.value.fields) == ["internal_note"]
