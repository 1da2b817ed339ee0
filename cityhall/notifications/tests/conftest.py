"""Each notifications test runs its tasks inline; `sms_provider` starts a fake SMS provider."""

import pytest

from cityhall.notifications.tests.fixtures import (
    immediate_notification_tasks,
    notify_now,
    sms_provider,
)

__all__ = ["immediate_notification_tasks", "notify_now", "sms_provider"]


@pytest.fixture(autouse=True)
def _notifications_test_environment(immediate_notification_tasks):
    return None
