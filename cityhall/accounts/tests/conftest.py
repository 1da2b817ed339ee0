"""Each accounts test starts with no sign-in counters and runs its tasks inline."""

import pytest

from cityhall.accounts.tests.fixtures import empty_cache, immediate_tasks

__all__ = ["empty_cache", "immediate_tasks"]


@pytest.fixture(autouse=True)
def _accounts_test_environment(empty_cache, immediate_tasks):
    return None
