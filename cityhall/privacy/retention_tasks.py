"""The daily retention job (config/schedule.py), apart from the privacy app's other tasks."""

from __future__ import annotations

from django_tasks import task

from cityhall.privacy.retention import apply_retention_rules as apply_rules


@task(queue_name="default")
def apply_retention_rules() -> dict[str, int]:
    """Apply every retention rule; returns the rows each changed, by rule code."""
    return {outcome.code: outcome.rows for outcome in apply_rules()}
