"""In a real browser, the work queue stays readable on a small phone in French: its headers keep
their words whole and the table scrolls in its own region, which a keyboard can reach."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def agent_page(page, agent, live_server):
    client = Client()
    sign_in_with_two_factor(client, agent)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return page


@pytest.mark.parametrize("width", [320, 375])
def test_on_a_phone_the_queue_scrolls_in_a_named_region_with_whole_headers(agent_page, width):
    ServiceRequestFactory.create_batch(3)
    agent_page.set_viewport_size({"width": width, "height": 800})

    agent_page.goto("/fr/staff/requests/")

    region = agent_page.get_by_role("region", name=re.compile("3 demandes correspondent"))
    assert region.get_attribute("tabindex") == "0"
    line = (
        agent_page.locator("thead th")
        .nth(1)
        .evaluate("th => parseFloat(getComputedStyle(th).lineHeight)")
    )
    heights = agent_page.locator("thead th").evaluate_all(
        "cells => cells.map(cell => cell.getBoundingClientRect().height)"
    )
    padding = 2 * 8 + 2
    assert max(heights) <= line + padding + 1
    overflow = agent_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert_no_serious_accessibility_violations(agent_page)
