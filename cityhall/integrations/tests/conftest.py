"""Integrations tests run their tasks inline; `webhook_receiver` listens on 127.0.0.1."""

import pytest

from cityhall.accounts.tests.fixtures import IMMEDIATE_TASKS
from cityhall.integrations.tests.receiver import webhook_receiver

__all__ = ["webhook_receiver"]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run queued tasks inline, whatever TASKS_BACKEND the environment names."""
    settings.TASKS = IMMEDIATE_TASKS
