"""Background jobs of the accounts domain. Each takes ids and re-reads the rows."""

from __future__ import annotations

from django_tasks import task

from cityhall.accounts.emails import send_account_email
from cityhall.accounts.models import User


@task(queue_name="email")
def send_welcome_email(user_id: int) -> bool:
    """Send the welcome email to a new account. Returns False if the account is gone or inactive."""
    user = User.objects.filter(id=user_id, is_active=True).first()
    if user is None:
        return False  # erased or deactivated since the task was queued
    send_account_email(user=user, template="welcome")
    return True
