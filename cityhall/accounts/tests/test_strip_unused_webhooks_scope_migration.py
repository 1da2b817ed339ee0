"""The data migration takes the unused webhooks:manage scope off existing keys, and only it."""

import importlib

import pytest
from django.apps import apps

from cityhall.accounts.models import ApiKey
from cityhall.accounts.services import create_api_key
from cityhall.accounts.tests.factories import PartnerOrganisationFactory

migration = importlib.import_module(
    "cityhall.accounts.migrations.0006_strip_unused_webhooks_scope__noop"
)


@pytest.mark.django_db
def test_existing_keys_lose_the_webhooks_scope_and_keep_the_others():
    issued = create_api_key(
        actor=None, organisation=PartnerOrganisationFactory(), name="Old", scopes=["requests:read"]
    )
    ApiKey.objects.filter(pk=issued.api_key.pk).update(scopes=["requests:read", "webhooks:manage"])

    migration.strip_unused_webhooks_scope(apps, None)

    assert ApiKey.objects.get(pk=issued.api_key.pk).scopes == ["requests:read"]
