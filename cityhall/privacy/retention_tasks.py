"""The daily retention job (config/schedule.py), apart from the privacy app's other tasks."""

from __future__ import annotations

from django_tasks import task

from cityhall.privacy.retention import apply_retention_rules as apply_rules


class RetentionRulesFailed(Exception):
    """Some rules raised; the others were applied. The task fails so that its result says so."""


@task(queue_name="default")
def apply_retention_rules() -> dict[str, int]:
    """Apply every retention rule; returns the rows each changed, by rule code.

    Raises RetentionRulesFailed, after every other rule has run, when any rule failed.
    """
    outcomes = apply_rules()
    failed = [outcome.code for outcome in outcomes if outcome.failed]
    if failed:
        raise RetentionRulesFailed(f"Retention rules failed: {', '.join(failed)}.")
    return {outcome.code: outcome.rows for outcome in outcomes}
