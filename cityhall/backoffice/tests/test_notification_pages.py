"""The back office's notification pages: message texts, messages sent, figures."""

from __future__ import annotations

import pytest

from cityhall.accounts.models import StaffRole
from cityhall.accounts.tests.factories import StaffRoleFactory, UserFactory
from cityhall.backoffice.navigation import navigation_for
from cityhall.backoffice.tests.staff_sign_in import sign_in_with_two_factor
from cityhall.notifications.models import ChannelKind, Delivery, Notification, Template, Topic
from cityhall.notifications.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db

TEXTS = "/en/staff/notifications/"
MESSAGES = "/en/staff/notifications/messages/"
FIGURES = "/en/staff/notifications/figures/"
PREVIEW = "/en/staff/notifications/preview/"


@pytest.fixture
def officer():
    return StaffRoleFactory(role=StaffRole.Role.COMMUNICATIONS_OFFICER, department=None).user


@pytest.fixture
def officer_client(client, officer):
    sign_in_with_two_factor(client, officer)
    return client


@pytest.fixture
def closed_in_english():
    return TemplateFactory(code="request-closed", language="en", variables=["name", "number"])


def edit_url(template):
    return f"/en/staff/notifications/texts/{template.public_id}/"


def test_the_texts_page_lists_each_event_with_a_link_to_write_a_missing_language(
    officer_client, closed_in_english
):
    html = officer_client.get(TEXTS).content.decode()

    assert "request-closed" in html
    assert edit_url(closed_in_english) in html
    assert "/en/staff/notifications/events/request-closed/fr/new/" in html


def test_the_editor_shows_the_variables_and_a_preview_with_sample_values(
    officer_client, closed_in_english
):
    html = officer_client.get(edit_url(closed_in_english)).content.decode()

    assert "{{ number }}" in html
    assert "{{ name }}" in html
    assert "Your request 2026-000123 is closed" in html


def test_the_preview_button_shows_the_typed_text_without_saving_it(
    officer_client, closed_in_english
):
    response = officer_client.post(
        edit_url(closed_in_english),
        {"subject": "Done: {{ number }}", "body": "Bye {{ name }}", "action": "preview"},
    )

    assert "Done: 2026-000123" in response.content.decode()
    closed_in_english.refresh_from_db()
    assert closed_in_english.subject == "Your request {{ number }} is closed"


def test_saving_a_text_with_an_unknown_variable_shows_the_error_next_to_the_field(
    officer_client, closed_in_english
):
    response = officer_client.post(
        edit_url(closed_in_english),
        {"subject": "Done", "body": "Bye {{ nickname }}", "action": "save"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_body_error"' in html
    assert "Unknown variables: nickname." in html
    closed_in_english.refresh_from_db()
    assert closed_in_english.body == "Hello {{ name }}, request {{ number }} is closed."


def test_saving_a_valid_text_stores_it_and_returns_to_the_list(officer_client, closed_in_english):
    response = officer_client.post(
        edit_url(closed_in_english), {"subject": "Done", "body": "Bye {{ name }}", "action": "save"}
    )

    assert response.status_code == 302
    assert response["Location"] == TEXTS
    closed_in_english.refresh_from_db()
    assert closed_in_english.body == "Bye {{ name }}"


def test_writing_the_french_text_creates_it(officer_client, closed_in_english):
    url = "/en/staff/notifications/events/request-closed/fr/new/"

    assert "Text of “request-closed” in French" in officer_client.get(url).content.decode()
    officer_client.post(
        url, {"subject": "Fermée", "body": "Au revoir {{ name }}", "action": "save"}
    )

    french = Template.objects.get(code="request-closed", language="fr")
    assert french.body == "Au revoir {{ name }}"


def test_a_language_the_site_does_not_offer_or_an_unknown_event_is_not_found(
    officer_client, closed_in_english
):
    assert (
        officer_client.get("/en/staff/notifications/events/request-closed/de/new/").status_code
        == 404
    )
    assert officer_client.get("/en/staff/notifications/events/made-up/fr/new/").status_code == 404


def test_writing_a_language_that_has_a_text_opens_that_text(officer_client, closed_in_english):
    response = officer_client.get("/en/staff/notifications/events/request-closed/en/new/")

    assert response["Location"] == edit_url(closed_in_english)


def test_the_live_preview_renders_the_posted_text(officer_client):
    response = officer_client.post(PREVIEW, {"subject": "N° {{ number }}", "body": "<b>x</b>"})

    html = response.content.decode()
    assert "N° 2026-000123" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_the_message_search_shows_each_channels_status(officer_client):
    ana = UserFactory(email="ana@example.org")
    notification = Notification.objects.create(
        recipient=ana, topic=Topic.MY_REQUESTS, template_code="request-closed",
        event_key="service-request-step:42", language="en", subject="Closed", body="Closed.",
    )  # fmt: skip
    Delivery.objects.create(
        notification=notification, channel=ChannelKind.SMS, status=Delivery.Status.FAILED,
        body="Closed.", last_error="Bad number",
    )  # fmt: skip

    html = officer_client.get(MESSAGES, {"q": "ana@example.org"}).content.decode()

    assert "service-request-step:42" in html
    assert "Text message: <strong>Failed</strong>" in html
    assert "Bad number" in html


def test_the_figures_page_offers_periods_and_ignores_an_odd_one(officer_client):
    html = officer_client.get(FIGURES, {"days": "1000"}).content.decode()

    assert "Messages of the last 14 days, by status" in html
    assert "No message in this period." in html


@pytest.mark.parametrize("url", [TEXTS, MESSAGES, FIGURES])
def test_agents_may_not_open_the_notification_pages(client, agent, url):
    sign_in_with_two_factor(client, agent)

    assert client.get(url).status_code == 403


def test_the_menu_shows_notifications_to_officers_and_city_admins_only(officer, admin, agent):
    def labels(user):
        return [link.label for link in navigation_for(user)]

    assert "Notifications" in labels(officer)
    assert "Notifications" in labels(admin)
    assert "Notifications" not in labels(agent)
