import pytest
from django.test import override_settings
from django.urls import include, path

from cityhall.core.models import AuditEvent
from cityhall.notifications.models import Delivery, Notification, Suppression
from cityhall.notifications.sms_callbacks import sms_signature

urlpatterns = [path("notifications/", include("cityhall.notifications.urls"))]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("cityhall.notifications.tests.test_sms_webhooks"),
]

STATUS_URL = "http://testserver/notifications/sms/status"
INBOUND_URL = "http://testserver/notifications/sms/inbound"


@pytest.fixture(autouse=True)
def _token(settings):
    settings.SMS_AUTH_TOKEN = "secret-token"


def _post(client, url, fields, token=None):
    signature = sms_signature(url=url, fields=fields, auth_token=token or "secret-token")
    return client.post(url, fields, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def sent_sms(citizen):
    notification = Notification.objects.create(
        recipient=citizen, topic="alerts", template_code="x", event_key="e", language="en", body="B"
    )
    return Delivery.objects.create(
        notification=notification,
        channel="sms",
        address="+15145550123",
        body="B",
        status="sent",
        provider_message_id="SM42",
    )


def test_a_signed_delivery_receipt_marks_the_text_delivered(client, sent_sms):
    response = _post(client, STATUS_URL, {"MessageSid": "SM42", "MessageStatus": "delivered"})

    assert response.status_code == 204
    sent_sms.refresh_from_db()
    assert sent_sms.status == "delivered"
    assert sent_sms.delivered_at is not None


def test_a_failure_receipt_marks_the_text_failed(client, sent_sms):
    _post(
        client,
        STATUS_URL,
        {"MessageSid": "SM42", "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )

    sent_sms.refresh_from_db()
    assert (sent_sms.status, sent_sms.is_permanent_failure) == ("failed", True)
    assert "30003" in sent_sms.last_error


def test_a_receipt_with_a_wrong_signature_is_refused(client, sent_sms):
    response = _post(
        client, STATUS_URL, {"MessageSid": "SM42", "MessageStatus": "delivered"}, token="guess"
    )

    assert response.status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == "sent"


def test_a_receipt_without_a_signature_is_refused(client, sent_sms):
    response = client.post(STATUS_URL, {"MessageSid": "SM42", "MessageStatus": "delivered"})

    assert response.status_code == 403


@override_settings(SMS_AUTH_TOKEN="")
def test_receipts_are_refused_while_no_token_is_configured(client, sent_sms):
    response = _post(
        client, STATUS_URL, {"MessageSid": "SM42", "MessageStatus": "delivered"}, token=""
    )

    assert response.status_code == 403


@pytest.mark.parametrize("word", ["STOP", "stop", " Arret "])
def test_a_stop_reply_suppresses_the_number(client, word):
    response = _post(client, INBOUND_URL, {"From": "+15145550123", "Body": word})

    assert response.status_code == 200
    assert Suppression.objects.filter(channel="sms", address="+15145550123", reason="stop").exists()
    assert AuditEvent.objects.filter(action="notifications.sms_stop").exists()


def test_a_start_reply_lifts_a_stop(client):
    _post(client, INBOUND_URL, {"From": "+15145550123", "Body": "STOP"})

    _post(client, INBOUND_URL, {"From": "+15145550123", "Body": "START"})

    assert not Suppression.objects.exists()


def test_other_replies_change_nothing(client):
    _post(client, INBOUND_URL, {"From": "+15145550123", "Body": "Thanks!"})

    assert not Suppression.objects.exists()


def test_an_unsigned_stop_is_refused(client):
    response = client.post(INBOUND_URL, {"From": "+15145550123", "Body": "STOP"})

    assert response.status_code == 403
    assert not Suppression.objects.exists()
