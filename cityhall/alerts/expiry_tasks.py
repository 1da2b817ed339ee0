"""The periodic job that ends published alerts once their expiry has passed."""

from __future__ import annotations

from django_tasks import task


@task()
def expire_ended_alerts() -> int:
    """Mark the published alerts past their expiry as expired (config/schedule.py)."""
    from cityhall.alerts.services import expire_alerts

    return expire_alerts()
