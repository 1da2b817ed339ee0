import datetime as dt

import pytest
from django.conf import settings

from cityhall.core.models import AuditEvent
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.notifications.models import Notification, Preference, RecipientSettings
from cityhall.notifications.tests.factories import inbox_notification
from cityhall.notifications.unsubscribe_links import make_unsubscribe_token

INBOX = "/en/notifications/"
CHOICES = "/en/notifications/choices/"


def _unsubscribe_url(user, topic="my_requests", channel="email"):
    token = make_unsubscribe_token(user=user, topic=topic, channel=channel)
    return f"/en/notifications/unsubscribe/{token}/"


def _email_is_enabled(user):
    preference = Preference.objects.filter(user=user, topic="my_requests", channel="email").first()
    return preference is None or preference.is_enabled


def test_opening_an_unsubscribe_link_only_asks_for_confirmation(client, citizen):
    response = client.get(_unsubscribe_url(citizen))

    assert response.status_code == 200
    assert "Stop these messages" in response.content.decode()
    assert _email_is_enabled(citizen)


def test_confirming_unsubscribes_from_that_topic_and_channel_without_signing_in(client, citizen):
    csrf_client = client.__class__(enforce_csrf_checks=True)

    response = csrf_client.post(_unsubscribe_url(citizen))

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not _email_is_enabled(citizen)
    assert Preference.objects.get(user=citizen).channel == "email"
    assert AuditEvent.objects.filter(action="notifications.unsubscribed").count() == 1


def test_a_one_click_post_from_a_mail_provider_unsubscribes(client, citizen):
    response = client.post(
        _unsubscribe_url(citizen),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert not _email_is_enabled(citizen)


def test_a_tampered_link_is_refused(client, citizen):
    url = _unsubscribe_url(citizen)
    tampered = url[:-3] + ("A" if url[-3] != "A" else "B") + url[-2:]

    get, post = client.get(tampered), client.post(tampered)

    assert (get.status_code, post.status_code) == (400, 400)
    assert _email_is_enabled(citizen)


def test_a_link_for_another_topic_leaves_this_one_alone(client, citizen):
    client.post(_unsubscribe_url(citizen, topic="reminders"))

    assert _email_is_enabled(citizen)


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(INBOX)["Location"].startswith("/en/account/sign-in/")
    assert client.get(CHOICES)["Location"].startswith("/en/account/sign-in/")


def test_the_inbox_shows_the_citizens_notifications_and_unread_count(
    client, citizen, other_citizen, django_assert_max_num_queries
):
    inbox_notification(citizen, "Pothole fixed")
    inbox_notification(citizen, "Tree planted", read=True)
    inbox_notification(other_citizen, "Someone else's news")
    client.force_login(citizen)

    with django_assert_max_num_queries(8):
        html = client.get(INBOX).content.decode()

    assert "You have 1 unread notification." in html
    assert "Pothole fixed" in html
    assert "Tree planted" in html
    assert "Someone else" not in html


def test_marking_one_as_read_lowers_the_unread_count(client, citizen):
    item = inbox_notification(citizen, "Pothole fixed")
    client.force_login(citizen)

    client.post(f"/en/notifications/{item.public_id}/read/")

    item.refresh_from_db()
    assert item.read_at is not None
    assert "You have 0 unread notifications." in client.get(INBOX).content.decode()


def test_a_citizen_cannot_mark_another_citizens_notification(client, citizen, other_citizen):
    item = inbox_notification(other_citizen, "Private")
    client.force_login(citizen)

    response = client.post(f"/en/notifications/{item.public_id}/read/")

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_as_read(client, citizen):
    inbox_notification(citizen, "One")
    inbox_notification(citizen, "Two")
    client.force_login(citizen)

    client.post(INBOX)

    assert not Notification.objects.filter(read_at=None).exists()


def test_the_choices_page_shows_the_topic_defaults(client, citizen):
    client.force_login(citizen)

    html = client.get(CHOICES).content.decode()

    assert 'name="my_requests__email" id="id_my_requests__email" checked' in html
    assert 'name="district_news__email" id="id_district_news__email" checked' not in html


def test_saving_choices_stores_topics_quiet_hours_and_digest(client, citizen):
    client.force_login(citizen)

    response = client.post(
        CHOICES,
        {
            "alerts__sms": "on",
            "alerts__email": "on",
            "phone_number": "+15145550123",
            "quiet_hours_start": "22:00",
            "quiet_hours_end": "07:00",
            "digest_frequency": "weekly",
        },
    )

    assert response.status_code == 302
    enabled = set(
        Preference.objects.filter(user=citizen, is_enabled=True).values_list("topic", "channel")
    )
    assert enabled == {("alerts", "sms"), ("alerts", "email")}
    user_settings = RecipientSettings.objects.get(user=citizen)
    assert user_settings.quiet_hours_start == dt.time(22)
    assert user_settings.digest_frequency == "weekly"
    assert user_settings.phone_number == "+15145550123"
    assert AuditEvent.objects.filter(action="notifications.preferences_changed").exists()


def test_half_quiet_hours_and_a_bad_number_are_explained(client, citizen):
    client.force_login(citizen)

    response = client.post(
        CHOICES,
        {"phone_number": "514-555", "quiet_hours_start": "22:00", "digest_frequency": "none"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "international format" in html
    assert "Give both the start and the end" in html
    assert not RecipientSettings.objects.exists()


@pytest.fixture
def citizen_page(page, citizen, client, live_server):
    """The browser tab, signed in as the citizen, with two inbox items."""
    inbox_notification(citizen, "Pothole fixed")
    inbox_notification(citizen, "Tree planted", read=True)
    client.force_login(citizen)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.session.session_key,
                "url": live_server.url,
            }
        ]
    )
    return page


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", ["notifications/", "notifications/choices/"])
def test_notification_pages_have_no_serious_accessibility_violation(citizen_page, path, language):
    citizen_page.goto(f"/{language}/{path}")

    assert_no_serious_accessibility_violations(citizen_page)


@pytest.mark.browser
def test_the_unsubscribe_pages_have_no_serious_accessibility_violation(page, citizen):
    page.goto(_unsubscribe_url(citizen))
    assert_no_serious_accessibility_violations(page)

    page.get_by_role("button", name="Stop these messages").click()

    assert page.locator("h1").inner_text() == "You are unsubscribed"
    assert_no_serious_accessibility_violations(page)
