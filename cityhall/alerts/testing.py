"""Test support for every app's tests: portal pages look for crisis alerts on each page."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def _no_crisis_without_a_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Portal pages look for crisis alerts (the banner, the emergency home page); a test
    without database access has no alerts, so it is told there are none."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "django_db_reset_sequences"} & set(request.fixturenames)
    )
    if uses_database:
        yield
        return
    with mock.patch("cityhall.alerts.selectors.crisis_alerts", return_value=[]):
        yield
