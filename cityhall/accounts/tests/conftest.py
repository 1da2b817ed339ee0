"""Each accounts test starts with no sign-in counters, runs its tasks inline and never sleeps."""

import pytest

from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks, sign_in_pauses

__all__ = ["empty_cache", "immediate_tasks", "sign_in_pauses"]


@pytest.fixture(autouse=True)
def _accounts_test_environment(empty_cache, immediate_tasks, sign_in_pauses):
    return None
