"""Background jobs of the accounts domain. Each takes ids and re-reads the rows.

Link tokens are made here, when the email is written, so that they never sit in the queue.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from cityhall.accounts.emails import send_account_email
from cityhall.accounts.models import User
from cityhall.accounts.tokens import (
    make_email_verification_token,
    make_sign_in_token,
    password_reset_tokens,
)


def _active_user(user_id: int) -> User | None:
    return User.objects.filter(id=user_id, is_active=True).first()


def _link(user: User, view_name: str, **kwargs: Any) -> str:
    """An absolute link to a portal page, in the recipient's language."""
    with translation.override(user.preferred_language):
        path = reverse(view_name, kwargs=kwargs)
    return f"{settings.CITYHALL_BASE_URL.rstrip('/')}{path}"


@task(queue_name="email")
def send_welcome_email(user_id: int) -> bool:
    """Send the welcome email to a new account. Returns False if the account is gone or inactive."""
    user = _active_user(user_id)
    if user is None:
        return False  # erased or deactivated since the task was queued
    send_account_email(user=user, template="welcome")
    return True


@task(queue_name="email")
def send_email_verification(user_id: int) -> bool:
    """Send the link that confirms a new account's email address."""
    user = _active_user(user_id)
    if user is None:
        return False
    token = make_email_verification_token(user)
    link = _link(user, "portal:verify_email", token=token)
    send_account_email(user=user, template="verify_email", context={"link": link})
    return True


@task(queue_name="email")
def send_sign_up_attempt_notice(user_id: int) -> bool:
    """Tell an account's owner that someone tried to sign up again with their address."""
    user = _active_user(user_id)
    if user is None:
        return False
    context = {
        "sign_in_link": _link(user, "portal:sign_in"),
        "reset_link": _link(user, "portal:password_reset"),
    }
    send_account_email(user=user, template="sign_up_attempt", context=context)
    return True


@task(queue_name="email")
def send_sign_in_link(user_id: int) -> bool:
    """Send a one-time sign-in link (valid for SIGN_IN_LINK_MAX_AGE seconds)."""
    user = _active_user(user_id)
    if user is None:
        return False
    link = _link(user, "portal:sign_in_link", token=make_sign_in_token(user))
    minutes = max(1, settings.SIGN_IN_LINK_MAX_AGE // 60)
    send_account_email(
        user=user, template="sign_in_link", context={"link": link, "minutes": minutes}
    )
    return True


def _password_reset_link(user: User) -> str:
    token = password_reset_tokens.make_token(user)
    return _link(user, "portal:password_reset_confirm", public_id=user.public_id, token=token)


@task(queue_name="email")
def send_password_reset(user_id: int) -> bool:
    """Send a link to choose a new password (valid for PASSWORD_RESET_TIMEOUT seconds)."""
    user = _active_user(user_id)
    if user is None:
        return False
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    context = {"link": _password_reset_link(user), "hours": hours}
    send_account_email(user=user, template="password_reset", context=context)
    return True


@task(queue_name="email")
def send_staff_invitation(user_id: int) -> bool:
    """Invite a new staff member to choose a password (a password-reset link)."""
    user = _active_user(user_id)
    if user is None:
        return False
    context = {"link": _password_reset_link(user), "staff_link": _link(user, "backoffice:sign_in")}
    send_account_email(user=user, template="staff_invitation", context=context)
    return True


@task(queue_name="email")
def send_password_changed_notice(user_id: int) -> bool:
    """Tell an account's owner that its password changed, in case it was not them."""
    user = _active_user(user_id)
    if user is None:
        return False
    send_account_email(
        user=user,
        template="password_changed",
        context={"reset_link": _link(user, "portal:password_reset")},
    )
    return True
