"""Closing an account: the password, an emailed confirmation, a grace period the citizen can
cancel in, then the erasure; never for staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cityhall.accounts.tests.factories import DEFAULT_PASSWORD
from cityhall.accounts.tests.fixtures import link_in_last_email, relative
from cityhall.core.errors import InvalidInput, NotFound, PermissionDenied
from cityhall.core.models import AuditEvent
from cityhall.privacy.models import AccountClosure
from cityhall.privacy.services.closures import (
    cancel_account_closure,
    carry_out_account_closure,
    confirm_account_closure,
    request_account_closure,
)

pytestmark = pytest.mark.django_db


def _ask(user, django_capture_on_commit_callbacks, password=DEFAULT_PASSWORD) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        request_account_closure(actor=user, password=password)
    return relative(link_in_last_email("/account/close/confirm/"))


def test_a_wrong_password_closes_nothing(citizen):
    with pytest.raises(InvalidInput):
        request_account_closure(actor=citizen, password="not-my-password")

    assert not AccountClosure.objects.exists()


def test_staff_cannot_close_their_account_themselves(agent):
    with pytest.raises(PermissionDenied):
        request_account_closure(actor=agent, password=DEFAULT_PASSWORD)


def test_an_account_without_password_needs_a_fresh_sign_in(citizen):
    citizen.set_unusable_password()
    citizen.last_login = timezone.now() - timedelta(hours=1)
    citizen.save()

    with pytest.raises(InvalidInput):
        request_account_closure(actor=citizen, password=None)

    citizen.last_login = timezone.now()
    request_account_closure(actor=citizen, password=None)
    assert AccountClosure.objects.get().status == AccountClosure.Status.AWAITING_CONFIRMATION


def test_the_emailed_link_schedules_the_closure_when_its_button_is_pressed(
    client, citizen, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_CLOSURE_GRACE_DAYS = 7
    link = _ask(citizen, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [citizen.email]

    assert client.get(link).status_code == 200  # a page with a button: scanners close nothing
    assert AccountClosure.objects.get().status == AccountClosure.Status.AWAITING_CONFIRMATION
    response = client.post(link)

    closure = AccountClosure.objects.get()
    assert response.status_code == 200
    assert closure.status == AccountClosure.Status.SCHEDULED
    assert closure.erase_after is not None
    assert closure.confirmed_at is not None
    assert closure.erase_after - closure.confirmed_at == timedelta(days=7)


def test_nothing_is_erased_before_the_grace_period_ends(
    citizen, django_capture_on_commit_callbacks
):
    link = _ask(citizen, django_capture_on_commit_callbacks)
    closure = confirm_account_closure(token=link.rstrip("/").rsplit("/", 1)[-1])

    assert not carry_out_account_closure(closure_id=closure.id)
    citizen.refresh_from_db()
    assert citizen.is_active
    assert citizen.erased_at is None


def test_a_cancelled_closure_is_never_carried_out(citizen, django_capture_on_commit_callbacks):
    link = _ask(citizen, django_capture_on_commit_callbacks)
    closure = confirm_account_closure(token=link.rstrip("/").rsplit("/", 1)[-1])

    cancel_account_closure(actor=citizen)

    later = timezone.now() + timedelta(days=30)
    assert not carry_out_account_closure(closure_id=closure.id, now=later)
    citizen.refresh_from_db()
    assert citizen.erased_at is None
    with pytest.raises(NotFound):
        confirm_account_closure(token=link.rstrip("/").rsplit("/", 1)[-1])


def test_after_the_grace_period_the_account_is_anonymised_and_the_erasure_logged(
    citizen, django_capture_on_commit_callbacks
):
    link = _ask(citizen, django_capture_on_commit_callbacks)
    closure = confirm_account_closure(token=link.rstrip("/").rsplit("/", 1)[-1])

    later = timezone.now() + timedelta(days=8)
    assert carry_out_account_closure(closure_id=closure.id, now=later)

    citizen.refresh_from_db()
    closure.refresh_from_db()
    assert citizen.erased_at is not None
    assert not citizen.is_active
    assert not citizen.has_usable_password()
    assert citizen.full_name == ""
    assert citizen.email.endswith("@erased.invalid")
    assert (closure.status, closure.user) == (AccountClosure.Status.COMPLETED, None)
    line = AuditEvent.objects.get(action="privacy.account_erased")
    assert line.target_id == str(citizen.public_id)
    assert "camille" not in str(line.data).lower()
