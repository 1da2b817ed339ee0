"""Applying the retention rules: how long each kind of personal data is kept, then enforced.

Domains declare their rules in `<app>/retention.py` (privacy.registry.RetentionRule); the
months come from settings.PRIVACY_RETENTION_MONTHS[rule.code], or the rule's default when a
deployment names none. `apply_retention_rules` computes each cutoff (that many calendar months
before now), applies every rule and returns what each did, for the daily task
(`privacy.retention_tasks.apply_retention_rules`) and `manage.py apply_retention [--dry-run]`.
A dry run counts what would go and changes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cityhall.core.audit import record_audit_event
from cityhall.privacy.registry import RetentionRule, all_retention_rules

logger = logging.getLogger(__name__)

RETENTION_APPLIED = "privacy.retention_applied"


@dataclass(frozen=True)
class RetentionOutcome:
    """What one rule did (or would do, in a dry run): rows past `cutoff` deleted or anonymised."""

    code: str
    description: str
    months: int
    cutoff: dt.datetime
    rows: int
    dry_run: bool
    #: The rule raised (logged with its traceback); its rows are 0 and the other rules still ran.
    failed: bool = False


def retention_months(rule: RetentionRule) -> int:
    """How many months `rule`'s data is kept in this deployment."""
    configured: dict[str, int] = getattr(settings, "PRIVACY_RETENTION_MONTHS", {})
    return configured.get(rule.code, rule.default_months)


def retention_cutoff(months: int, *, now: dt.datetime) -> dt.datetime:
    """The moment `months` calendar months before `now` (31 March less one month: 28/29 Feb)."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


def apply_retention_rules(
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    rules: Iterable[RetentionRule] | None = None,
) -> list[RetentionOutcome]:
    """Apply every declared rule (or `rules`), in code order; returns one outcome per rule.

    Each rule works in its own batches and transactions; a rule that fails is logged and
    reported (`failed`) and the others still run; rerunning is harmless. A rule that changed
    rows is written to the audit log with its code, cutoff and count, never with whose data it
    was.
    """
    now = now or timezone.now()
    outcomes = []
    for rule in all_retention_rules() if rules is None else rules:
        months = retention_months(rule)
        cutoff = retention_cutoff(months, now=now)
        try:
            rows, failed = rule.apply(cutoff, dry_run), False
        except Exception:
            # One broken rule (a new protected relation, say) must not keep the others' data.
            logger.exception("Retention rule %s failed", rule.code)
            rows, failed = 0, True
        if rows and not dry_run:
            with transaction.atomic():
                record_audit_event(
                    actor=None,
                    action=RETENTION_APPLIED,
                    data={"rule": rule.code, "cutoff": cutoff.isoformat(), "rows": rows},
                )
        outcomes.append(
            RetentionOutcome(
                code=rule.code,
                description=str(rule.description),
                months=months,
                cutoff=cutoff,
                rows=rows,
                dry_run=dry_run,
                failed=failed,
            )
        )
    return outcomes
