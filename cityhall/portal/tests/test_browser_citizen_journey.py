"""A citizen's journey in a real browser, in both languages, on a phone and a desktop: track a
request by its number without an account, sign in and land on "My requests", follow someone
else's request, find it under "Following", unfollow it, and open a closed request that no
longer promises a resolution. Every page stays free of serious axe violations and fits the
screen."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import empty_cache, sign_in_pauses  # noqa: F401 (fixtures)
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import (
    FollowerFactory,
    ServiceRequestFactory,
    StatusChangeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_cache", "sign_in_pauses")]

Status = ServiceRequest.Status
#: A folder for the journey's screenshots, to look at the layout while working on it (unset:
#: none are taken).
SCREENSHOTS = os.environ.get("CITYHALL_SCREENSHOTS", "")


@pytest.fixture
def neighbours_request(other_citizen):
    service_request = ServiceRequestFactory(
        reporter=other_citizen,
        tracking_number="RAS-26-000310",
        service__name_en="Pothole",
        service__name_fr="Nid-de-poule",
        due_at=timezone.now() + dt.timedelta(days=3),
    )
    StatusChangeFactory(service_request=service_request, to_status=Status.SUBMITTED)
    return service_request


@pytest.fixture
def closed_request(citizen):
    closed_at = timezone.now() - dt.timedelta(days=30)
    service_request = ServiceRequestFactory(
        reporter=citizen,
        tracking_number="RAS-26-000120",
        status=Status.CLOSED,
        resolved_at=closed_at,
        closed_at=closed_at,
        due_at=closed_at - dt.timedelta(days=1),
    )
    StatusChangeFactory(service_request=service_request, to_status=Status.SUBMITTED)
    StatusChangeFactory(
        service_request=service_request,
        from_status=Status.SUBMITTED,
        to_status=Status.CLOSED,
        public_note="Filled.",
    )
    return service_request


def _check(tab, name: str) -> None:
    """Screenshot the page if asked, then check that it fits the screen and passes axe."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)
    overflow = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is wider than the screen"
    assert_no_serious_accessibility_violations(tab)


def _track(tab, number: str) -> None:
    tab.locator("main input[name=number]").fill(number)
    tab.locator("main .track-form button[type=submit]").click()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_citizen_tracks_signs_in_follows_unfollows_and_reads_a_closed_request(
    page, citizen, neighbours_request, closed_request, language, width
):
    tab, shot = page, f"{language}-{width}"
    tab.set_viewport_size({"width": width, "height": 900})
    number = neighbours_request.tracking_number

    tab.goto(f"/{language}/")
    _track(tab, "RAS-26-999999")
    expect(tab.locator(".error-summary")).to_be_focused()
    assert "RAS-26-999999" in tab.locator(".error-summary").inner_text()
    _check(tab, f"{shot}-1-unknown-number")
    _track(tab, number.lower())
    tab.wait_for_url(f"**/{language}/requests/{number}/")
    _check(tab, f"{shot}-2-tracked-anonymously")

    tab.goto(f"/{language}/account/sign-in/")
    tab.locator("input[name=email]").fill(citizen.email)
    tab.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.wait_for_url(f"**/{language}/requests/")
    _check(tab, f"{shot}-3-landed-on-my-requests")

    tab.goto(f"/{language}/requests/{number}/")
    tab.locator(f"form[action$='/{number}/follow/'] button").click()
    unfollow = tab.locator(f"form[action$='/{number}/unfollow/'] button")
    expect(unfollow).to_be_visible()
    _check(tab, f"{shot}-4-following")

    tab.goto(f"/{language}/requests/")
    tab.locator("a[href='?show=following']").click()
    tab.wait_for_url("**?show=following")
    expect(tab.locator("main table")).to_contain_text(number)
    _check(tab, f"{shot}-5-following-list")

    tab.locator(f"main table a[href$='/{number}/']").click()
    tab.locator(f"form[action$='/{number}/unfollow/'] button").click()
    expect(tab.locator(f"form[action$='/{number}/follow/'] button")).to_be_visible()
    tab.goto(f"/{language}/requests/?show=following")
    assert number not in tab.locator("main").inner_text()

    tab.goto(f"/{language}/requests/")
    tab.locator(f"main table a[href$='/{closed_request.tracking_number}/']").click()
    tab.wait_for_url(f"**/{closed_request.tracking_number}/")
    summary = tab.locator("main dl").first.inner_text()
    assert "Expected resolution" not in summary
    assert "Résolution prévue" not in summary
    expect(tab.locator("main dl").first.locator("time")).to_have_count(2)
    _check(tab, f"{shot}-6-closed-request")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_lookup_following_and_closed_pages_fit_320_pixels_and_pass_axe(
    page, live_server, citizen, neighbours_request, closed_request, language
):
    page.context.add_cookies([session_cookie_for(citizen, live_server.url)])
    FollowerFactory(service_request=neighbours_request, user=citizen)
    page.set_viewport_size({"width": 320, "height": 640})

    for path, name in [
        ("", "home"),
        ("requests/track/?number=RAS-26-999999", "unknown-number"),
        ("requests/?show=following", "following-list"),
        (f"requests/{neighbours_request.tracking_number}/", "following"),
        (f"requests/{closed_request.tracking_number}/", "closed-request"),
    ]:
        page.goto(f"/{language}/{path}")
        _check(page, f"{language}-320-{name}")
