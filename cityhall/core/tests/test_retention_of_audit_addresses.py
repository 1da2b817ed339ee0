"""Audit lines keep their network address only for the rule's months; the lines themselves stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.core.audit import record_audit_event
from cityhall.core.models import AuditEvent
from cityhall.core.retention import clear_old_audit_addresses

pytestmark = pytest.mark.django_db


def test_addresses_of_lines_older_than_the_cutoff_are_cleared_and_no_others(monkeypatch):
    cutoff = timezone.now() - dt.timedelta(days=365)
    # Lines cannot be back-dated once written (on PostgreSQL a trigger refuses it): write the
    # old one with the clock set back.
    with monkeypatch.context() as clock:
        clock.setattr(timezone, "now", lambda: cutoff - dt.timedelta(seconds=1))
        old = record_audit_event(actor=None, action="test.old", ip_address="203.0.113.5")
    recent = record_audit_event(actor=None, action="test.recent", ip_address="203.0.113.6")

    assert clear_old_audit_addresses(cutoff, True) == 1
    assert AuditEvent.objects.filter(ip_address__isnull=False).count() == 2
    assert clear_old_audit_addresses(cutoff, False) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None
    assert old.action == "test.old"
    assert recent.ip_address == "203.0.113.6"
    assert clear_old_audit_addresses(cutoff, False) == 0
