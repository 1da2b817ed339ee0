"""A citizen reads what the city holds about them, downloads a copy, and closes their account;
each page stays free of serious axe violations."""

import zipfile

import pytest
from django.core import mail
from playwright.sync_api import expect

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import empty_cache, link_in_last_email, relative  # noqa: F401 (fixtures)
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.portal.tests.browser_sessions import session_cookie_for
from cityhall.privacy.models import AccountClosure
from cityhall.servicerequests.tests.factories import ServiceRequestFactory
from cityhall.servicerequests.tests.photo_files import use_temporary_media

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def citizen_tab(chromium, live_server, citizen, settings, tmp_path):
    use_temporary_media(settings, tmp_path)
    ServiceRequestFactory(reporter=citizen, tracking_number="RAS-26-000777")
    context = chromium.new_context(base_url=live_server.url, locale="en-CA", accept_downloads=True)
    context.add_cookies([session_cookie_for(citizen, live_server.url)])
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def test_a_citizen_reads_their_data_and_downloads_a_copy(citizen_tab):
    citizen_tab.goto("/en/account/")
    citizen_tab.get_by_role("link", name="My data", exact=True).last.click()
    expect(citizen_tab.get_by_role("heading", level=1)).to_have_text("My data")
    requests_row = citizen_tab.locator("#data-servicerequestsrequests")
    expect(requests_row.get_by_role("cell").first).to_have_text("1")
    assert_no_serious_accessibility_violations(citizen_tab)

    citizen_tab.get_by_role("button", name="Prepare a copy of my data").click()
    expect(citizen_tab.locator(".messages")).to_contain_text("We are preparing a copy")
    citizen_tab.reload()
    with citizen_tab.expect_download() as download_info:
        citizen_tab.get_by_role("link", name="Download (ZIP").click()
    with zipfile.ZipFile(download_info.value.path()) as archive:
        names = archive.namelist()
    assert "servicerequests.requests/requests.csv" in names
    assert_no_serious_accessibility_violations(citizen_tab)


def test_a_citizen_closes_their_account_and_may_keep_it_during_the_grace_period(
    citizen_tab, citizen
):
    citizen_tab.goto("/en/account/close/")
    assert_no_serious_accessibility_violations(citizen_tab)
    citizen_tab.get_by_role("button", name="Close my account").click()
    expect(citizen_tab.locator(".error-summary")).to_be_visible()
    assert_no_serious_accessibility_violations(citizen_tab)

    citizen_tab.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    citizen_tab.get_by_role("button", name="Close my account").click()
    expect(citizen_tab.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert mail.outbox[-1].to == [citizen.email]

    citizen_tab.goto(relative(link_in_last_email("/account/close/confirm/")))
    assert_no_serious_accessibility_violations(citizen_tab)
    citizen_tab.get_by_role("button", name="Confirm closing my account").click()
    expect(citizen_tab.get_by_role("heading", level=1)).to_have_text("Your account will be closed")
    assert_no_serious_accessibility_violations(citizen_tab)

    citizen_tab.goto("/en/account/my-data/")
    citizen_tab.get_by_role("button", name="Keep my account").click()
    expect(citizen_tab.locator(".messages")).to_contain_text("Your account stays open.")
    assert AccountClosure.objects.get().status == AccountClosure.Status.CANCELLED
