"""The "my data" page lists what the city holds, prepares a copy and leads to closing."""

import pytest
from django.urls import NoReverseMatch, reverse

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.privacy.models import AccountClosure, DataExport
from cityhall.privacy.registry import all_sources
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db

MY_DATA = "/en/account/my-data/"
CLOSE = "/en/account/close/"


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(MY_DATA)["Location"] == f"/en/account/sign-in/?next={MY_DATA}"


def test_the_page_lists_each_kind_of_data_with_its_count(client, citizen):
    ServiceRequestFactory.create_batch(2, reporter=citizen)
    client.force_login(citizen)

    html = client.get(MY_DATA).content.decode()

    for source in all_sources():
        if not source.staff_only:
            assert str(source.name) in html, source.code
    assert "Work for the city or a partner" not in html  # staff only, and empty
    assert '<tr id="data-servicerequestsrequests">' in html


def test_the_page_links_to_the_pages_that_exist_about_ones_data(client, citizen):
    client.force_login(citizen)

    html = client.get(MY_DATA).content.decode()

    for name in ("portal:privacy_choices", "portal:access_log", "portal:processing_register"):
        try:
            address = reverse(name)
        except NoReverseMatch:
            continue
        assert f'href="{address}"' in html, name
    assert f'href="{CLOSE}"' in html


def test_the_account_page_leads_to_my_data(client, citizen):
    client.force_login(citizen)

    assert f'href="{MY_DATA}"' in client.get("/en/account/").content.decode()


def test_the_page_is_in_french_too(client, citizen):
    client.force_login(citizen)

    assert client.get("/fr/account/my-data/").status_code == 200


def test_asking_for_a_copy_shows_that_it_is_being_prepared(client, citizen):
    client.force_login(citizen)

    response = client.post("/en/account/my-data/copy/", follow=True)

    assert DataExport.objects.get(user=citizen).status == DataExport.Status.PENDING
    assert "We are preparing a copy of your data." in response.content.decode()


def test_a_wrong_password_is_shown_next_to_the_field(client, citizen):
    client.force_login(citizen)

    response = client.post(CLOSE, {"password": "not-it-at-all"})

    assert response.status_code == 400
    assert "The password is not right." in response.content.decode()
    assert not AccountClosure.objects.exists()


def test_closing_asks_to_check_the_email(
    client, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CLOSE, {"password": DEFAULT_PASSWORD})

    assert "Check your email" in response.content.decode()
    assert mailoutbox[-1].to == [citizen.email]


def test_staff_are_told_why_they_cannot_close_here(client, agent):
    client.force_login(agent)

    html = client.get(CLOSE).content.decode()

    assert "Staff accounts cannot be closed here" in html
    assert 'type="password"' not in html


def test_a_scheduled_closure_can_be_cancelled_from_the_page(client, citizen):
    AccountClosure.objects.create(user=citizen, status=AccountClosure.Status.SCHEDULED)
    client.force_login(citizen)
    assert "Keep my account" in client.get(MY_DATA).content.decode()

    client.post("/en/account/close/cancel/")

    assert AccountClosure.objects.get().status == AccountClosure.Status.CANCELLED
