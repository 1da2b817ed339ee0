"""Subscribing to alerts by address or postal code, confirming, stopping; an account's places."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from cityhall.accounts.tests.factories import UserFactory
from cityhall.alerts.models import AlertSubscriber
from cityhall.alerts.subscription_links import stop_token
from cityhall.alerts.tests.factories import AlertSubscriberFactory
from cityhall.notifications.tests.fixtures import immediate_notification_tasks
from cityhall.places.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db

__all__ = ["immediate_notification_tasks"]


@pytest.fixture(autouse=True)
def _inline_tasks(immediate_notification_tasks):
    return None


def link_in(body: str) -> str:
    found = re.search(r"https?://\S+", body)
    assert found is not None
    return "/" + found.group(0).split("/", 3)[3]  # the path, without the site's address


def test_a_postal_code_subscription_waits_for_its_link_then_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    AddressFactory(postal_code="H2X 1Y4", latitude=45.51, longitude=-73.57)
    AddressFactory(postal_code="H2X 1Y4", latitude=45.52, longitude=-73.58)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alert_subscriptions:subscribe"),
            {"postal_code": "h2x1y4", "email": "neighbour@example.org"},
        )

    assert response.status_code == 200
    subscriber = AlertSubscriber.objects.get()
    assert subscriber.confirmed_at is None
    assert subscriber.kind == AlertSubscriber.Kind.POSTAL_CODE
    assert subscriber.latitude == pytest.approx(45.515)
    [message] = mail.outbox
    assert message.to == ["neighbour@example.org"]
    confirm_path = link_in(str(message.body))
    assert client.get(confirm_path).status_code == 200
    assert AlertSubscriber.objects.get().confirmed_at is None  # opening the link is not enough
    client.post(confirm_path)
    assert AlertSubscriber.objects.get().confirmed_at is not None


def test_giving_both_an_email_and_a_phone_or_neither_is_refused_with_a_clear_error(client):
    AddressFactory(postal_code="H2X 1Y4")

    both = client.post(
        reverse("alert_subscriptions:subscribe"),
        {"postal_code": "H2X 1Y4", "email": "a@example.org", "phone_number": "+15145550123"},
    )
    neither = client.post(reverse("alert_subscriptions:subscribe"), {"postal_code": "H2X 1Y4"})

    for response in (both, neither):
        assert "one of them" in response.content.decode()
    assert not AlertSubscriber.objects.exists()


def test_an_unknown_postal_code_is_refused(client):
    response = client.post(
        reverse("alert_subscriptions:subscribe"),
        {"postal_code": "Z9Z 9Z9", "email": "a@example.org"},
    )

    assert "no address with this postal code" in response.content.decode()
    assert not AlertSubscriber.objects.exists()


def test_the_stop_link_ends_the_subscription_and_an_altered_one_does_nothing(client):
    subscriber = AlertSubscriberFactory()
    good = reverse(
        "alert_subscriptions:stop", args=[subscriber.public_id, stop_token(subscriber.public_id)]
    )
    altered = reverse("alert_subscriptions:stop", args=[subscriber.public_id, "x" * 22])

    assert client.post(altered).status_code == 404
    assert AlertSubscriber.objects.exists()
    assert client.post(good).status_code == 200
    assert not AlertSubscriber.objects.exists()


def test_a_resident_adds_home_replaces_it_and_removes_it(client):
    resident = UserFactory()
    client.force_login(resident)
    first = AddressFactory(civic_number="120", street_name="Rue des Érables")
    second = AddressFactory(civic_number="240", street_name="Rue des Érables")

    client.post(
        reverse("alert_subscriptions:add_place"),
        {"kind": "home", "address": "120 rue des Erables"},
    )
    client.post(
        reverse("alert_subscriptions:add_place"),
        {"kind": "home", "address": "240 rue des Erables"},
    )

    [home] = AlertSubscriber.objects.filter(user=resident)
    assert home.address == second
    assert home.address != first
    assert home.confirmed_at is not None
    page = client.get(reverse("alert_subscriptions:subscribe")).content.decode()
    assert "240 Rue des Érables" in page
    client.post(reverse("alert_subscriptions:remove_place", args=[home.public_id]))
    assert not AlertSubscriber.objects.exists()


def test_someone_cannot_remove_another_persons_place(client):
    place = AlertSubscriberFactory(user=UserFactory(), kind="home", channel="", email="")
    client.force_login(UserFactory())

    response = client.post(reverse("alert_subscriptions:remove_place", args=[place.public_id]))

    assert response.status_code == 404
    assert AlertSubscriber.objects.filter(id=place.id).exists()
