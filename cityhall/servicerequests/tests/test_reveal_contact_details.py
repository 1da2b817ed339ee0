"""Staff see a citizen's contact details only after giving a reason, which is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cityhall.core.errors import InvalidInput, NotFound
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.audiences import Audience
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.services.contact_reveals import reveal_contact_details
from cityhall.servicerequests.staff_reads import contact_details_revealed, staff_audience
from cityhall.servicerequests.tests.factories import ServiceRequestFactory


@pytest.fixture
def filed(db, citizen):
    return ServiceRequestFactory(reporter=citizen, contact_phone="514 555 0199")


def test_contact_details_stay_hidden_until_a_reason_is_given(filed, agent):
    assert staff_audience(service_request=filed, staff=agent) == Audience.STAFF_BEFORE_REASON

    reveal_contact_details(service_request=filed, staff=agent, reason="handling")

    assert staff_audience(service_request=filed, staff=agent) == Audience.STAFF


def test_a_reveal_is_audited_with_its_reason_and_no_personal_data(filed, agent):
    reveal_contact_details(service_request=filed, staff=agent, reason="complaint")

    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED)
    assert (event.actor, event.target_id, event.data) == (
        agent,
        str(filed.public_id),
        {"reason": "complaint"},
    )
    assert "514" not in str(event.data)


def test_another_reason_needs_a_few_words_of_the_staff_members_own(filed, agent):
    with pytest.raises(InvalidInput) as missing:
        reveal_contact_details(service_request=filed, staff=agent, reason="other")
    with pytest.raises(InvalidInput) as unknown:
        reveal_contact_details(service_request=filed, staff=agent, reason="curiosity")
    with pytest.raises(InvalidInput) as too_long:
        reveal_contact_details(service_request=filed, staff=agent, reason="other", note="x" * 121)
    reveal_contact_details(
        service_request=filed, staff=agent, reason="other", note="  Audit of\\nthe  crew "
    )

    assert list(missing.value.fields) == ["note"]
    assert list(unknown.value.fields) == ["reason"]
    assert list(too_long.value.fields) == ["note"]
    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED)
    assert event.data == {"reason": "other", "note": "Audit of\\nthe crew"}


def test_a_reveal_lasts_a_while_for_that_staff_member_and_that_request_only(
    filed, agent, supervisor, settings
):
    settings.CONTACT_REVEAL_MINUTES = 30
    other = ServiceRequestFactory(service=filed.service)
    reveal_contact_details(service_request=filed, staff=agent, reason="handling")
    later = timezone.now() + timedelta(minutes=31)

    assert contact_details_revealed(service_request=filed, staff=agent)
    assert not contact_details_revealed(service_request=filed, staff=supervisor)
    assert not contact_details_revealed(service_request=other, staff=agent)
    assert not contact_details_revealed(service_request=filed, staff=agent, now=later)


def test_staff_of_another_department_cannot_reveal(filed, outside_agent):
    with pytest.raises(NotFound):
        reveal_contact_details(service_request=filed, staff=outside_agent, reason="handling")

    assert not AuditEvent.objects.filter(
        action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED
    ).exists()
