"""A subscription's new secret replaces the old one for every delivery sent from then on."""

from __future__ import annotations

import pytest

from cityhall.core.errors import Conflict
from cityhall.integrations.delivery import deliver_webhook_now
from cityhall.integrations.services import disable_webhook_subscription, rotate_webhook_secret
from cityhall.integrations.signing import decrypt_secret, is_valid_signature
from cityhall.integrations.tests.factories import (
    SECRET,
    WebhookDeliveryFactory,
    WebhookSubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def test_deliveries_are_signed_with_the_new_secret_only(admin, webhook_receiver):
    subscription = WebhookSubscriptionFactory(target_url=webhook_receiver.url)

    issued = rotate_webhook_secret(actor=admin, subscription=subscription)
    deliver_webhook_now(WebhookDeliveryFactory(subscription=subscription).id)

    assert issued.secret.startswith("whsec_")
    assert decrypt_secret(subscription.encrypted_secret) == issued.secret
    received = webhook_receiver.received[-1]
    signature = str(received.headers["CityHall-Signature"])
    assert is_valid_signature(secret=issued.secret, body=received.body, header=signature)
    assert not is_valid_signature(secret=SECRET, body=received.body, header=signature)


def test_a_disabled_subscription_keeps_its_secret(admin):
    subscription = WebhookSubscriptionFactory()
    disable_webhook_subscription(actor=admin, subscription=subscription)

    with pytest.raises(Conflict):
        rotate_webhook_secret(actor=admin, subscription=subscription)

    subscription.refresh_from_db()
    assert decrypt_secret(subscription.encrypted_secret) == SECRET
