"""`manage.py rotate_webhook_secrets` after SECRET_KEY moved to SECRET_KEY_FALLBACKS."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from cityhall.integrations.signing import decrypt_secret
from cityhall.integrations.tests.factories import SECRET, WebhookSubscriptionFactory

NEW_KEY = "the-new-secret-key-" * 3


@pytest.mark.django_db
def test_secrets_survive_a_secret_key_rotation(settings):
    subscription = WebhookSubscriptionFactory()
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [old_key]
    assert decrypt_secret(subscription.encrypted_secret) == SECRET  # read through the fallback
    output = StringIO()

    call_command("rotate_webhook_secrets", stdout=output)

    settings.SECRET_KEY_FALLBACKS = []
    subscription.refresh_from_db()
    assert decrypt_secret(subscription.encrypted_secret) == SECRET
    assert "Re-encrypted 1 webhook signing secret(s)." in output.getvalue()
