"""Unused unverified accounts and long-expired sessions go after their rules' months; no others."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from cityhall.accounts.models import StaffRole, User
from cityhall.accounts.retention import (
    delete_expired_sessions,
    delete_unused_unverified_accounts,
)
from cityhall.accounts.tests.factories import (
    PartnerMembershipFactory,
    StaffRoleFactory,
    UserFactory,
)
from cityhall.core.audit import record_audit_event
from cityhall.core.models import AuditEvent
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _unverified(**fields):
    return UserFactory(email_verified_at=None, **fields)


def test_only_old_unverified_accounts_never_used_are_deleted():
    cutoff = timezone.now() - dt.timedelta(days=30)
    abandoned = _unverified()
    record_audit_event(actor=abandoned, action="accounts.signed_up", target=abandoned)
    signed_in = _unverified(last_login=cutoff - dt.timedelta(days=3))
    verified = UserFactory()
    deactivated = _unverified(is_active=False)
    staff = StaffRoleFactory(role=StaffRole.Role.AGENT, user=_unverified()).user
    partner_member = PartnerMembershipFactory(user=_unverified()).user
    reporter = _unverified()
    ServiceRequestFactory(reporter=reporter)
    too_recent = _unverified()
    kept = [signed_in, verified, deactivated, staff, partner_member, reporter]
    User.objects.exclude(pk=too_recent.pk).update(created_at=cutoff - dt.timedelta(days=1))

    assert delete_unused_unverified_accounts(cutoff, True) == 1
    assert delete_unused_unverified_accounts(cutoff, False) == 1

    remaining = set(User.objects.values_list("pk", flat=True))
    assert remaining == {user.pk for user in [*kept, too_recent]}
    line = AuditEvent.objects.get(action="accounts.signed_up")
    assert line.actor is None  # the audit line stays, without its link
    assert delete_unused_unverified_accounts(cutoff, False) == 0


def test_sessions_expired_before_the_cutoff_are_deleted_and_live_ones_stay():
    cutoff = timezone.now() - dt.timedelta(days=30)
    keys = []
    for _ in range(2):
        store = SessionStore()
        store.create()
        keys.append(store.session_key)
    Session.objects.filter(session_key=keys[0]).update(expire_date=cutoff - dt.timedelta(days=1))

    assert delete_expired_sessions(cutoff, True) == 1
    assert delete_expired_sessions(cutoff, False) == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [keys[1]]
