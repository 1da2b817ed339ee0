"""Each notifications test runs its tasks inline; `sms_provider` and `push_service` start fake
providers on 127.0.0.1."""

import pytest

from cityhall.notifications.channels import close_worker_channels
from cityhall.notifications.tests.fixtures import (
    immediate_notification_tasks,
    notify_now,
    push_service,
    sms_provider,
)

__all__ = ["immediate_notification_tasks", "notify_now", "push_service", "sms_provider"]


@pytest.fixture(autouse=True)
def _notifications_test_environment(immediate_notification_tasks):
    yield
    # Workers keep their SMTP connection open; this test's server is gone after it.
    close_worker_channels()
