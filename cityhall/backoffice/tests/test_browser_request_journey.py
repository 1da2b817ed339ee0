"""A filed request's whole journey in real browsers: an agent triages and resolves it while
the citizen watches each status on the status page, then rates the handling."""

import pytest

from cityhall.accounts.tests.fixtures import empty_cache, sign_in_pauses  # noqa: F401 (fixtures)
from cityhall.backoffice.tests.staff_sign_in import sign_in_in_browser
from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.notifications.models import Notification
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.servicerequests.models import SatisfactionRating, ServiceRequest
from cityhall.servicerequests.notices import SURVEY_TEMPLATE
from cityhall.servicerequests.services import submit_service_request
from cityhall.servicerequests.tests.seeded_templates import (  # noqa: F401 (fixture)
    notification_templates,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures(
        "empty_cache", "every_task_at_once", "sign_in_pauses", "notification_templates"
    ),
]


@pytest.fixture
def every_task_at_once(settings):
    """Run every queued task inline, notification deliveries included (QUEUES empty: all)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }


@pytest.fixture
def filed(citizen):
    service = ServiceFactory(
        code="streetlight", name_en="Streetlight out", department__code="public-works"
    )
    return submit_service_request(
        reporter=citizen,
        service=service,
        description="The lamp at the corner of Elm and Oak is dark.",
        answers={},
        location=None,
        address_text="Corner of Elm and Oak",
        channel=ServiceRequest.Channel.PORTAL,
    )


@pytest.fixture
def citizen_tab(chromium, live_server, citizen):
    context = chromium.new_context(base_url=live_server.url, locale="en-CA")
    context.add_cookies([session_cookie_for(citizen, live_server.url)])
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _citizen_sees(tab, service_request, status_label):
    tab.goto(f"/en/requests/{service_request.tracking_number}/")
    status = tab.locator("dt:text-is('Status') + dd").inner_text()
    assert status == status_label
    assert_no_serious_accessibility_violations(tab)


def _change_status(page, status, public_note=""):
    page.get_by_label("New status").select_option(label=status)
    if public_note:
        page.get_by_label("Public note").fill(public_note)
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state()
    assert f"The request is now “{status}”." in page.locator("body").inner_text()
    assert_no_serious_accessibility_violations(page)


def test_an_agent_triages_and_resolves_while_the_citizen_follows_and_rates(
    page, citizen_tab, agent, citizen, filed
):
    _citizen_sees(citizen_tab, filed, "Submitted")

    sign_in_in_browser(page, agent)
    page.get_by_role("link", name=filed.tracking_number).click()
    page.wait_for_url(f"**/en/staff/requests/{filed.public_id}/")
    assert_no_serious_accessibility_violations(page)

    _change_status(page, "Acknowledged")
    _citizen_sees(citizen_tab, filed, "Acknowledged")

    page.locator("summary", has_text="Assignment").click()
    page.get_by_label("Assign to").select_option(label="Me")
    page.get_by_role("button", name="Save the assignment").click()
    page.wait_for_load_state()
    assert "The assignment is saved." in page.locator("body").inner_text()

    _change_status(page, "In progress")
    _citizen_sees(citizen_tab, filed, "In progress")

    page.locator("summary", has_text="Tell the citizen of progress").click()
    page.get_by_label("Update for the citizen").fill("A new lamp is on order.")
    page.get_by_role("button", name="Publish the update").click()
    page.wait_for_load_state()
    assert_no_serious_accessibility_violations(page)
    _citizen_sees(citizen_tab, filed, "In progress")
    assert "A new lamp is on order." in citizen_tab.locator("body").inner_text()

    _change_status(page, "Resolved", public_note="The lamp is replaced.")
    _citizen_sees(citizen_tab, filed, "Resolved")
    assert Notification.objects.filter(recipient=citizen, template_code=SURVEY_TEMPLATE).exists()

    citizen_tab.get_by_role("link", name="Rate how your request was handled").click()
    citizen_tab.wait_for_url(f"**/en/requests/{filed.tracking_number}/rate/")
    assert_no_serious_accessibility_violations(citizen_tab)
    citizen_tab.get_by_role("button", name="Send my rating").click()
    citizen_tab.wait_for_load_state()
    assert "Choose a rating from 1 to 5." in citizen_tab.locator(".error-summary").inner_text()
    assert_no_serious_accessibility_violations(citizen_tab)
    citizen_tab.get_by_label("4: satisfied").check()
    citizen_tab.get_by_label("Comment (optional)").fill("Quick and kind.")
    citizen_tab.get_by_role("button", name="Send my rating").click()
    citizen_tab.wait_for_url(f"**/en/requests/{filed.tracking_number}/")
    assert "Thank you: your rating is saved." in citizen_tab.locator("body").inner_text()

    rating = SatisfactionRating.objects.get(service_request=filed)
    assert (rating.score, rating.comment) == (4, "Quick and kind.")
    page.reload()
    assert "4 out of 5" in page.locator("body").inner_text()
