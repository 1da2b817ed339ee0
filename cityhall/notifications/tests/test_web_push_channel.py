import json
import socket
import time

import http_ece  # type: ignore[import-untyped]
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from cityhall.notifications.models import Delivery, Preference, PushSubscription
from cityhall.notifications.tests.factories import (
    BrowserPushKeys,
    PushSubscriptionFactory,
    TemplateFactory,
)
from cityhall.notifications.vapid import b64url_decode, generate_vapid_keys

pytestmark = pytest.mark.django_db

CONTEXT = {"name": "Camille", "number": "311-42", "link": "/en/requests/311-42/"}


@pytest.fixture
def city_keys(settings):
    keys = generate_vapid_keys()
    settings.VAPID_PRIVATE_KEY = keys.private_key
    settings.VAPID_PUBLIC_KEY = keys.public_key
    settings.VAPID_SUBJECT = "mailto:webmaster@city.example"
    return keys


@pytest.fixture
def send(notify_now):
    def call(user, event_key="request:42:closed", **kwargs):
        arguments = {
            "recipient": user,
            "topic": "my_requests",
            "template": "request-closed",
            "context": CONTEXT,
            "event_key": event_key,
        }
        arguments.update(kwargs)
        return notify_now(**arguments)

    return call


def _vapid_token_and_key(authorization):
    """The JWT and the public key of an RFC 8292 `vapid t=…,k=…` Authorization header."""
    scheme, _space, parameters = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in parameters.split(","))
    return fields["t"], fields["k"]


def _verified_claims(token, public_key):
    """The JWT's claims, after checking its ES256 signature against `public_key`."""
    header, claims, signature = token.split(".")
    raw_signature = b64url_decode(signature)
    verifier = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), b64url_decode(public_key)
    )
    verifier.verify(
        encode_dss_signature(
            int.from_bytes(raw_signature[:32], "big"), int.from_bytes(raw_signature[32:], "big")
        ),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    assert json.loads(b64url_decode(header)) == {"typ": "JWT", "alg": "ES256"}
    return json.loads(b64url_decode(claims))


def test_a_push_reaches_the_push_service_encrypted_for_the_browser_and_signed_by_the_city(
    citizen, send, push_service, city_keys
):
    TemplateFactory()
    browser = BrowserPushKeys()
    subscription = PushSubscriptionFactory(
        user=citizen, keys=browser, endpoint=f"{push_service.url}/send/abc"
    )

    deliveries = send(citizen)

    assert "web_push" in [delivery.channel for delivery in deliveries]
    [received] = push_service.requests
    assert received["path"] == "/send/abc"
    assert received["headers"]["content-encoding"] == "aes128gcm"
    assert int(received["headers"]["ttl"]) > 0
    assert received["headers"]["urgency"] == "normal"
    plaintext = http_ece.decrypt(
        received["body"],
        private_key=browser.private_key,
        auth_secret=browser.auth_secret,
        version="aes128gcm",
    )
    message = json.loads(plaintext)
    assert message["title"] == "Your request 311-42 is closed"
    assert message["body"] == "Hello Camille, request 311-42 is closed."
    assert message["url"] == "/en/requests/311-42/"
    assert message["lang"] == "en"
    token, key = _vapid_token_and_key(received["headers"]["authorization"])
    assert key == city_keys.public_key
    claims = _verified_claims(token, city_keys.public_key)
    assert claims["aud"] == push_service.url
    assert claims["sub"] == "mailto:webmaster@city.example"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert Delivery.objects.get(channel="web_push").status == "sent"
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_the_signature_does_not_verify_with_another_key(citizen, send, push_service, city_keys):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/abc")

    send(citizen)

    token, _key = _vapid_token_and_key(push_service.requests[0]["headers"]["authorization"])
    with pytest.raises(InvalidSignature):
        _verified_claims(token, generate_vapid_keys().public_key)


def test_the_push_is_in_the_recipients_language_and_opens_the_inbox_without_a_link(
    citizen, send, push_service, city_keys
):
    citizen.preferred_language = "fr"
    citizen.save()
    TemplateFactory(language="fr", subject="Demande {{ number }} fermée", body="Bonjour {{ name }}")
    browser = BrowserPushKeys()
    PushSubscriptionFactory(user=citizen, keys=browser, endpoint=f"{push_service.url}/send/fr")

    send(citizen, context={"name": "Camille", "number": "311-42"})

    message = json.loads(
        http_ece.decrypt(
            push_service.requests[0]["body"],
            private_key=browser.private_key,
            auth_secret=browser.auth_secret,
            version="aes128gcm",
        )
    )
    assert message == {
        "title": "Demande 311-42 fermée",
        "body": "Bonjour Camille",
        "url": "/fr/notifications/",
        "tag": message["tag"],
        "lang": "fr",
    }


def test_a_link_to_another_site_is_not_kept(citizen, send, push_service, city_keys):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/abc")

    send(citizen, context={**CONTEXT, "link": "//evil.example/phish"})

    assert Delivery.objects.get(channel="web_push").notification.link == ""


def test_an_emergency_is_pushed_with_high_urgency(citizen, send, push_service, city_keys):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/abc")

    send(citizen, urgency="emergency")

    assert push_service.requests[0]["headers"]["urgency"] == "high"


def test_every_subscribed_browser_of_the_person_gets_the_push(
    citizen, send, push_service, city_keys
):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/phone")
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/laptop")

    send(citizen)

    assert sorted(request["path"] for request in push_service.requests) == [
        "/send/laptop",
        "/send/phone",
    ]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_has_dropped_is_removed(
    citizen, send, push_service, city_keys, status
):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/old")
    push_service.status = status

    send(citizen)

    assert not PushSubscription.objects.exists()
    delivery = Delivery.objects.get(channel="web_push")
    assert delivery.status == "failed"
    assert delivery.is_permanent_failure


def test_a_push_service_in_trouble_is_tried_again_later(citizen, send, push_service, city_keys):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/abc")
    push_service.status = 503

    send(citizen)

    delivery = Delivery.objects.get(channel="web_push")
    assert delivery.status == "queued"
    assert delivery.next_attempt_at is not None
    assert PushSubscription.objects.count() == 1


def test_a_person_without_a_subscribed_browser_gets_no_push_delivery(citizen, send, city_keys):
    TemplateFactory()

    deliveries = send(citizen)

    assert "web_push" not in [delivery.channel for delivery in deliveries]


def test_a_person_who_switched_web_push_off_for_the_topic_gets_none(
    citizen, send, push_service, city_keys
):
    TemplateFactory()
    PushSubscriptionFactory(user=citizen, endpoint=f"{push_service.url}/send/abc")
    Preference.objects.create(
        user=citizen, topic="my_requests", channel="web_push", is_enabled=False
    )

    send(citizen)

    assert push_service.requests == []


@pytest.mark.parametrize("inside", ["127.0.0.1", "10.0.0.5", "169.254.169.254"])
def test_an_endpoint_that_leads_inside_the_network_is_never_pushed_to_and_is_removed(
    citizen, send, push_service, city_keys, settings, monkeypatch, inside
):
    TemplateFactory()
    port = push_service.url.rsplit(":", 1)[1]
    PushSubscriptionFactory(user=citizen, endpoint=f"https://push.example.net:{port}/send/1")
    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda _host, port, *a, **k: real_getaddrinfo(inside, port, *a, **k)
    )
    settings.OUTBOUND_ALLOW_LOOPBACK = False

    send(citizen)

    assert push_service.requests == []
    assert not PushSubscription.objects.exists()
    delivery = Delivery.objects.get(channel="web_push")
    assert (delivery.status, delivery.is_permanent_failure) == ("failed", True)
