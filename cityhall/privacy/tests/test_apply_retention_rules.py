"""The retention runner: months from settings, cutoffs, dry runs, the command and the daily task."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from cityhall.core.models import AuditEvent
from cityhall.notifications.models import Delivery, Notification
from cityhall.notifications.tests.factories import queued_email
from cityhall.privacy import batches
from cityhall.privacy.registry import RetentionRule, all_retention_rules
from cityhall.privacy.retention import (
    RETENTION_APPLIED,
    apply_retention_rules,
    retention_cutoff,
    retention_months,
)
from cityhall.privacy.retention_tasks import RetentionRulesFailed
from cityhall.privacy.retention_tasks import apply_retention_rules as apply_retention_task
from config.schedule import SCHEDULE

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


def _rule(code: str, default_months: int = 6, seen: list | None = None) -> RetentionRule:
    def apply(cutoff: dt.datetime, dry_run: bool) -> int:
        if seen is not None:
            seen.append((cutoff, dry_run))
        return 3

    return RetentionRule(code=code, description="Test", default_months=default_months, apply=apply)


def test_every_declared_rule_has_its_months_in_settings_with_the_rules_default():
    declared = {rule.code: rule.default_months for rule in all_retention_rules()}

    assert declared == settings.PRIVACY_RETENTION_MONTHS


def test_a_setting_overrides_the_rules_default_months(settings):
    settings.PRIVACY_RETENTION_MONTHS = {"test.overridden": 2}

    assert retention_months(_rule("test.overridden", 24)) == 2
    assert retention_months(_rule("test.not_configured", 24)) == 24


def test_the_cutoff_is_whole_calendar_months_before_now():
    assert retention_cutoff(1, now=NOW) == dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC)
    assert retention_cutoff(24, now=NOW) == dt.datetime(2024, 3, 31, 12, 0, tzinfo=dt.UTC)
    assert retention_cutoff(13, now=NOW) == dt.datetime(2025, 2, 28, 12, 0, tzinfo=dt.UTC)


def test_each_rule_gets_its_own_cutoff_and_the_report_says_what_it_did(settings):
    settings.PRIVACY_RETENTION_MONTHS = {"test.a": 1}
    seen_a: list = []
    seen_b: list = []

    outcomes = apply_retention_rules(
        now=NOW, rules=[_rule("test.a", seen=seen_a), _rule("test.b", 12, seen=seen_b)]
    )

    assert seen_a == [(dt.datetime(2026, 2, 28, 12, 0, tzinfo=dt.UTC), False)]
    assert seen_b == [(dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC), False)]
    assert [(o.code, o.months, o.rows, o.dry_run) for o in outcomes] == [
        ("test.a", 1, 3, False),
        ("test.b", 12, 3, False),
    ]
    lines = AuditEvent.objects.filter(action=RETENTION_APPLIED)
    assert sorted(line.data["rule"] for line in lines) == ["test.a", "test.b"]
    assert all(line.actor is None and line.ip_address is None for line in lines)


def test_a_dry_run_changes_nothing_and_reports_what_the_real_run_then_does(citizen):
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    for _ in range(3):
        queued_email(citizen)
    Notification.objects.update(created_at=long_ago)
    Delivery.objects.update(created_at=long_ago, status="delivered")

    dry = {o.code: o.rows for o in apply_retention_rules(dry_run=True)}
    assert Notification.objects.count() == 3
    assert Delivery.objects.count() == 3
    assert not AuditEvent.objects.filter(action=RETENTION_APPLIED).exists()

    applied = {o.code: o.rows for o in apply_retention_rules()}
    assert dry == applied
    assert applied["notifications.delivery_log"] == 3
    assert applied["notifications.notifications"] == 3
    assert not Notification.objects.exists()


def test_rows_spread_over_many_id_ranges_are_all_handled(citizen, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_IDS", 2)
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    for _ in range(7):
        queued_email(citizen)
    Notification.objects.update(created_at=long_ago)
    kept = queued_email(citizen).notification

    applied = {o.code: o.rows for o in apply_retention_rules()}

    assert applied["notifications.notifications"] == 7
    assert list(Notification.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_command_prints_each_rule_with_its_months_cutoff_and_rows(citizen):
    queued_email(citizen)
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(days=3 * 365))
    out = StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    report = out.getvalue()
    assert Notification.objects.count() == 1
    line = next(row for row in report.splitlines() if row.startswith("notifications.notifications"))
    assert line.split()[1:2] == ["24"]
    assert line.split()[-1] == "1"
    for rule in all_retention_rules():
        assert rule.code in report
    assert "(dry run)" in report


def test_the_daily_task_applies_the_rules(citizen):
    queued_email(citizen)
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(days=3 * 365))

    result = apply_retention_task.enqueue().return_value

    assert result is not None
    assert result["notifications.notifications"] == 1
    assert not Notification.objects.exists()


def test_the_retention_task_is_scheduled_once_a_day():
    entries = [entry for entry in SCHEDULE if entry.task is apply_retention_task]

    assert len(entries) == 1
    minute, hour, *rest = entries[0].cron.split()
    assert minute.isdigit()
    assert hour.isdigit()
    assert rest == ["*", "*", "*"]


def _broken(cutoff: dt.datetime, dry_run: bool) -> int:
    raise ValueError("a protected relation")


def test_a_failing_rule_is_reported_and_the_others_still_run(citizen, monkeypatch):
    queued_email(citizen)
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(days=3 * 365))
    broken = RetentionRule(code="aaa.broken", description="Test", default_months=1, apply=_broken)
    rules = [broken, *all_retention_rules()]
    monkeypatch.setattr("cityhall.privacy.retention.all_retention_rules", lambda: rules)
    out = StringIO()

    outcomes = {o.code: o for o in apply_retention_rules(dry_run=True)}
    with pytest.raises(CommandError, match=r"aaa\.broken"):
        call_command("apply_retention", stdout=out)

    assert outcomes["aaa.broken"].failed
    assert outcomes["notifications.notifications"].rows == 1
    assert "FAILED" in out.getvalue()
    assert not Notification.objects.exists()  # the rules after the broken one were applied
    failed_run = apply_retention_task.enqueue()
    assert failed_run.status == TaskResultStatus.FAILED
    assert failed_run.errors[0].exception_class is RetentionRulesFailed
