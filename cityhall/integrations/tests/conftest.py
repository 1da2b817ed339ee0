"""Integrations tests run their tasks inline; `webhook_receiver` listens on 127.0.0.1."""

import pytest

from cityhall.integrations.tests.receiver import webhook_receiver

__all__ = ["webhook_receiver"]

IMMEDIATE_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "email", "notifications"],
    }
}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run queued tasks inline, whatever TASKS_BACKEND the environment names."""
    settings.TASKS = IMMEDIATE_TASKS
