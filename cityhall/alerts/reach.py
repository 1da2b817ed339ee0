"""How many subscribers an area reaches, for the officer before sending (read only)."""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from cityhall.alerts.models import Alert
from cityhall.alerts.targeting import reaches_only_test_recipients, recipients_in


def reach_count(area: BaseGeometry, *, status: str = Alert.Status.ACTUAL) -> int:
    """The confirmed subscribers `area` (plus the margin) reaches for a message of `status`:
    test recipients only for an exercise or a test."""
    return len(recipients_in(area, tests_only=reaches_only_test_recipients(status)))


def alert_reach(alert: Alert) -> int:
    """The subscribers a stored alert's area reaches."""
    return reach_count(alert.area_geometry(), status=alert.status)
