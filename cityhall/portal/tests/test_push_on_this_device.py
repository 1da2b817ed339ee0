import json

import pytest
from django.conf import settings
from django.test import Client

from cityhall.core.models import AuditEvent
from cityhall.core.testing import assert_no_serious_accessibility_violations
from cityhall.notifications.models import PushSubscription
from cityhall.notifications.tests.factories import BrowserPushKeys, PushSubscriptionFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/en/notifications/push/subscribe/"
UNSUBSCRIBE = "/en/notifications/push/unsubscribe/"
CHOICES = "/en/notifications/choices/"
ENDPOINT = "https://push.example.net/send/device-1"


def _subscription_json(endpoint=ENDPOINT, keys=None):
    keys = keys or BrowserPushKeys()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
    }


@pytest.fixture
def csrf_client(citizen):
    """A signed-in client that, like a browser, must send the CSRF token it was given."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    client.get(CHOICES)
    return client


def _token(client):
    """The CSRF token the choices page gave this client, as its script sends it back."""
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def _post(client, url, payload, **headers):
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


def test_a_signed_in_person_switches_this_browser_on(csrf_client, citizen):
    response = _post(
        csrf_client,
        SUBSCRIBE,
        _subscription_json(),
        HTTP_X_CSRFTOKEN=_token(csrf_client),
        HTTP_USER_AGENT="Firefox/133.0",
    )

    assert response.status_code == 201
    assert response.json() == {"subscribed": True}
    subscription = PushSubscription.objects.get()
    assert (subscription.user, subscription.endpoint) == (citizen, ENDPOINT)
    assert subscription.user_agent == "Firefox/133.0"
    assert AuditEvent.objects.filter(action="notifications.push_subscribed").exists()


def test_switching_on_without_the_csrf_token_is_refused(csrf_client):
    response = _post(csrf_client, SUBSCRIBE, _subscription_json())

    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_an_anonymous_script_gets_a_json_refusal(client):
    response = _post(client, SUBSCRIBE, _subscription_json())

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**_subscription_json(), "endpoint": "http://push.example.net/send/1"}, "endpoint"),
        ({**_subscription_json(), "endpoint": "not a url"}, "endpoint"),
        ({**_subscription_json(), "endpoint": "https://10.0.0.5/send/1"}, "endpoint"),
        ({**_subscription_json(), "endpoint": "https://169.254.169.254/send/1"}, "endpoint"),
        ({**_subscription_json(), "endpoint": "https://127.1/send/1"}, "endpoint"),
        ({**_subscription_json(), "endpoint": "http://127.0.0.1:9/send/1"}, "endpoint"),
        ({**_subscription_json(), "keys": {"p256dh": "AAAA", "auth": "x"}}, "p256dh"),
        ({"endpoint": ENDPOINT}, "auth"),
    ],
)
def test_a_malformed_subscription_is_refused_field_by_field(csrf_client, payload, field):
    response = _post(csrf_client, SUBSCRIBE, payload, HTTP_X_CSRFTOKEN=_token(csrf_client))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]
    assert not PushSubscription.objects.exists()


def test_a_body_that_is_not_a_json_object_is_refused(csrf_client):
    response = csrf_client.post(
        SUBSCRIBE, "[1, 2]", content_type="application/json", HTTP_X_CSRFTOKEN=_token(csrf_client)
    )

    assert response.status_code == 400


def test_a_browser_used_by_someone_else_before_moves_to_the_person_now_signed_in(
    csrf_client, citizen, agent
):
    PushSubscriptionFactory(user=agent, endpoint=ENDPOINT)

    _post(csrf_client, SUBSCRIBE, _subscription_json(), HTTP_X_CSRFTOKEN=_token(csrf_client))

    assert PushSubscription.objects.get().user == citizen


def test_a_person_switches_this_browser_off(csrf_client, citizen):
    PushSubscriptionFactory(user=citizen, endpoint=ENDPOINT)

    response = _post(
        csrf_client, UNSUBSCRIBE, {"endpoint": ENDPOINT}, HTTP_X_CSRFTOKEN=_token(csrf_client)
    )

    assert response.status_code == 200
    assert response.json() == {"subscribed": False}
    assert not PushSubscription.objects.exists()


def test_no_one_can_switch_off_another_persons_browser(csrf_client, agent):
    PushSubscriptionFactory(user=agent, endpoint=ENDPOINT)

    _post(csrf_client, UNSUBSCRIBE, {"endpoint": ENDPOINT}, HTTP_X_CSRFTOKEN=_token(csrf_client))

    assert PushSubscription.objects.get().user == agent


def test_the_choices_page_offers_this_device_and_a_devices_column(client, citizen):
    client.force_login(citizen)

    page = client.get(CHOICES).content.decode()

    assert "data-push-device hidden" in page
    assert "portal/push-subscribe.js" in page
    assert 'name="my_requests__web_push"' in page
    assert 'name="my_requests__webhook"' not in page


def test_without_web_push_keys_in_production_the_page_offers_no_device(client, citizen, settings):
    settings.IS_PRODUCTION = True
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    client.force_login(citizen)

    page = client.get(CHOICES).content.decode()

    assert "data-push-device" not in page
    assert "push-subscribe.js" not in page


@pytest.fixture
def citizen_page(page, live_server, client, citizen):
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
def test_a_browser_with_push_sees_the_button_and_the_page_stays_accessible(citizen_page, language):
    citizen_page.goto(f"/{language}/notifications/choices/")

    section = citizen_page.locator("[data-push-device]")
    section.wait_for(state="visible")
    assert section.locator("button[data-push-toggle]").get_attribute("aria-pressed") == "false"
    assert_no_serious_accessibility_violations(citizen_page)


@pytest.mark.browser
def test_a_refused_permission_is_explained_next_to_the_button(citizen_page):
    # Headless Chromium has no push service and denies notification permission by default,
    # so what can be checked honestly is that the refusal reaches the person.
    citizen_page.goto(CHOICES)
    citizen_page.get_by_role("button", name="Notify me on this device").click()

    status = citizen_page.locator("[data-push-status]")
    status.filter(has_text="Allow them in the browser settings").or_(
        status.filter(has_text="could not be switched on")
    ).wait_for()
    assert not PushSubscription.objects.exists()


@pytest.mark.browser
def test_the_page_token_lets_its_script_switch_a_browser_on(citizen_page, citizen):
    citizen_page.goto(CHOICES)
    subscription = _subscription_json()

    status = citizen_page.evaluate(
        """async ([url, subscription]) => {
            const box = document.querySelector("[data-push-device]");
            const token = box.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch(url, {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify(subscription),
            });
            return response.status;
        }""",
        [SUBSCRIBE, subscription],
    )

    assert status == 201
    assert PushSubscription.objects.get().user == citizen
