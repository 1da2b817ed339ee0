import base64

import pytest

from cityhall.notifications.models import Delivery, Suppression
from cityhall.notifications.tests.factories import RecipientSettingsFactory, sms_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def texter(citizen):
    RecipientSettingsFactory(user=citizen, phone_number="+15145550123")
    sms_template(
        topic="alerts",
        code="boil-water",
        body="Boil water in {{ district }}.",
        variables=["district"],
    )
    return citizen


def _alert(notify_now, user):
    return notify_now(
        recipient=user,
        topic="alerts",
        template="boil-water",
        context={"district": "Plateau"},
        event_key="alert:7",
    )


def test_the_text_is_posted_to_the_providers_messages_api(texter, notify_now, sms_provider):
    _alert(notify_now, texter)

    [posted] = sms_provider.requests
    assert posted["path"] == "/2010-04-01/Accounts/AC123/Messages.json"
    assert posted["content_type"] == "application/x-www-form-urlencoded"
    assert posted["authorization"] == "Basic " + base64.b64encode(b"AC123:secret-token").decode()
    assert posted["form"] == {
        "To": "+15145550123",
        "From": "+15145550000",
        "Body": "Boil water in Plateau.",
    }
    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.provider_message_id) == ("sent", "SM0001")


def test_the_status_callback_url_is_sent_when_configured(
    texter, notify_now, sms_provider, settings
):
    settings.SMS_STATUS_CALLBACK_URL = "https://city.example/notifications/sms/status"

    _alert(notify_now, texter)

    assert sms_provider.requests[0]["form"]["StatusCallback"] == settings.SMS_STATUS_CALLBACK_URL


def test_a_4xx_answer_is_a_permanent_failure(texter, notify_now, sms_provider):
    sms_provider.reply = (400, {"code": 21602, "message": "Message body is required."})

    _alert(notify_now, texter)

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.is_permanent_failure) == ("failed", True)
    assert delivery.next_attempt_at is None
    assert "400" in delivery.last_error


def test_a_5xx_answer_is_retried_later(texter, notify_now, sms_provider):
    sms_provider.reply = (503, {"message": "Service unavailable"})

    _alert(notify_now, texter)

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.is_permanent_failure) == ("queued", False)
    assert delivery.next_attempt_at is not None


def test_too_many_requests_is_retried_later(texter, notify_now, sms_provider):
    sms_provider.reply = (429, {"code": 20429, "message": "Too Many Requests"})

    _alert(notify_now, texter)

    assert Delivery.objects.get(channel="sms").status == "queued"


def test_a_number_that_opted_out_at_the_provider_is_suppressed(texter, notify_now, sms_provider):
    sms_provider.reply = (
        400,
        {"code": 21610, "message": "Attempt to send to unsubscribed recipient"},
    )

    _alert(notify_now, texter)

    assert Delivery.objects.get(channel="sms").status == "bounced"
    assert Suppression.objects.filter(channel="sms", address="+15145550123").exists()


def test_an_unconfigured_provider_fails_without_retrying(texter, notify_now, settings):
    settings.SMS_ACCOUNT_SID = ""

    _alert(notify_now, texter)

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.is_permanent_failure) == ("failed", True)


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:{port}", "https://169.254.169.254"])
def test_a_provider_address_inside_the_network_is_refused_without_sending(
    texter, notify_now, sms_provider, settings, base_url
):
    settings.OUTBOUND_ALLOW_LOOPBACK = False
    settings.SMS_API_BASE_URL = base_url.format(port=sms_provider.url.rsplit(":", 1)[1])

    _alert(notify_now, texter)

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.is_permanent_failure) == ("failed", True)
    assert sms_provider.requests == []


def test_a_redirect_answer_from_the_provider_is_a_permanent_failure(
    texter, notify_now, sms_provider
):
    sms_provider.reply = (307, {})

    _alert(notify_now, texter)

    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.status, delivery.is_permanent_failure) == ("failed", True)
    assert len(sms_provider.requests) == 1
