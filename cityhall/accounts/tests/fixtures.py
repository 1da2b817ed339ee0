"""Test helpers for accounts, also used by the portal's and back office's tests."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from django.utils import timezone

from cityhall.core.ratelimit import counting_cache
from config.services import tasks_settings

#: The production queues on the inline backend, so a task module imported first under this
#: fixture validates against the same queue names as everywhere else.
IMMEDIATE_TASKS, _ = tasks_settings("immediate", redis_url="")


@pytest.fixture
def immediate_tasks(settings):
    """Run queued tasks inline, whatever TASKS_BACKEND the environment (or .env) names."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def empty_cache():
    """Forget sign-in counters and locks left by earlier tests."""
    counting_cache().clear()
    yield
    counting_cache().clear()


@pytest.fixture
def sign_in_pauses(monkeypatch):
    """Record the pauses after failed sign-ins instead of sleeping through them."""
    pauses: list[float] = []
    monkeypatch.setattr("cityhall.accounts.sign_in_limits.pause", pauses.append)
    return pauses


def link_in_last_email(path_part: str) -> str:
    """The first link in the newest email whose address contains `path_part`."""
    body = str(mail.outbox[-1].body)
    match = re.search(rf"https?://\S*{re.escape(path_part)}\S*", body)
    assert match, f"no link with {path_part!r} in:\n{body}"
    return match.group(0)


def relative(link: str) -> str:
    """The path of an absolute link, to follow it with the test client or browser."""
    return re.sub(r"^https?://[^/]+", "", link)


def give_confirmed_totp(user) -> pyotp.TOTP:
    """Give `user` a confirmed TOTP secret; return the generator to compute codes."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = None
    user.save()
    return pyotp.TOTP(user.totp_secret)
