"""The request page hides the citizen's contact details and private answers until the staff
member says why they need them; the reason is audited."""

from __future__ import annotations

import pytest

from cityhall.accounts.tests.fixtures import empty_cache  # noqa: F401  (fixture)
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.catalog.tests.factories import ServiceFieldFactory
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def filed(citizen):
    service_request = ServiceRequestFactory(
        reporter=citizen,
        contact_phone="514 555 0199",
        answers={"plate": "ABC 123", "colour": "red"},
    )
    ServiceFieldFactory(service=service_request.service, code="plate", is_private=True)
    ServiceFieldFactory(service=service_request.service, code="colour", is_private=False)
    return service_request


def page(service_request, action="", language="en"):
    return f"/{language}/staff/requests/{service_request.public_id}/{action}"


def test_contact_details_and_private_answers_wait_for_a_reason(client, agent, citizen, filed):
    sign_in_with_two_factor(client, agent)

    content = client.get(page(filed)).content.decode()

    for hidden in ("514 555 0199", citizen.email, "Camille Tremblay", "ABC 123"):
        assert hidden not in content
    assert "red" in content
    assert "contact details and 1 private answer are hidden" in content
    assert 'name="reveal-reason"' in content


def test_a_reason_shows_them_and_is_audited(client, agent, citizen, filed):
    sign_in_with_two_factor(client, agent)

    response = client.post(page(filed, "contact/"), {"reveal-reason": "legal_demand"})

    assert response.status_code == 302
    assert response["Location"] == f"{page(filed)}#contact"
    content = client.get(response["Location"]).content.decode()
    for shown in ("514 555 0199", citizen.email, "ABC 123"):
        assert shown in content
    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED)
    assert (event.actor, event.target_id, event.data) == (
        agent,
        str(filed.public_id),
        {"reason": "legal_demand"},
    )


def test_no_reason_or_another_without_words_is_refused_and_shows_nothing(client, agent, filed):
    sign_in_with_two_factor(client, agent)

    empty = client.post(page(filed, "contact/"), {})
    other = client.post(page(filed, "contact/"), {"reveal-reason": "other"})

    assert empty.status_code == other.status_code == 200
    assert "reason" in empty.context["reveal_form"].errors
    assert "note" in other.context["reveal_form"].errors
    assert "514 555 0199" not in other.content.decode()
    assert not AuditEvent.objects.filter(
        action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED
    ).exists()


def test_the_reason_form_reads_in_french(client, agent, filed):
    sign_in_with_two_factor(client, agent)

    content = client.get(page(filed, language="fr")).content.decode()

    assert 'name="reveal-reason"' in content
    assert "/fr/staff/requests/" in content


def test_staff_of_another_department_cannot_reveal(client, outside_agent, filed):
    sign_in_with_two_factor(client, outside_agent)

    assert client.post(page(filed, "contact/"), {"reveal-reason": "handling"}).status_code == 404
