"""The notification templates migration 0003 seeds, for tests that flush the database.

A transactional test (a live server, real concurrency) empties every table when it ends, so a
later one must seed the templates again before anything notifies.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

SEEDING_MIGRATION = importlib.import_module(
    "cityhall.servicerequests.migrations.0003_add_request_notification_templates"
)


@pytest.fixture
def notification_templates(transactional_db: None) -> None:
    SEEDING_MIGRATION.add_templates(apps, None)
