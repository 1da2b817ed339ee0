"""In a real browser, an agent gives a reason to see the citizen's contact details: the form is
keyboard-usable and accessible, the details appear, and the reason is audited."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.models import AuditEvent
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.servicerequests.audit_actions import ServiceRequestAuditAction
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def agent_page(page, agent, live_server):
    client = Client()
    sign_in_with_two_factor(client, agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


def test_an_agent_gives_a_reason_and_then_sees_the_contact_details(agent_page, citizen):
    filed = ServiceRequestFactory(reporter=citizen, contact_phone="514 555 0199")
    agent_page.goto(f"/en/staff/requests/{filed.public_id}/")

    contact = agent_page.locator("#contact")
    assert "514 555 0199" not in contact.inner_text()
    assert_no_serious_accessibility_violations(agent_page)

    contact.get_by_label("A complaint about this request").check()
    contact.get_by_role("button", name="Show the citizen's details").click()

    agent_page.locator("#contact dl").wait_for()
    assert "514 555 0199" in agent_page.locator("#contact").inner_text()
    assert citizen.email in agent_page.locator("#contact").inner_text()
    assert_no_serious_accessibility_violations(agent_page)
    event = AuditEvent.objects.get(action=ServiceRequestAuditAction.CONTACT_DETAILS_VIEWED)
    assert event.data == {"reason": "complaint"}
