"""`manage.py apply_retention [--dry-run]`: apply the retention rules and print what they did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityhall.privacy.retention import apply_retention_rules


class Command(BaseCommand):
    help = (
        "Delete or anonymise the personal data kept past its retention period"
        " (settings.PRIVACY_RETENTION_MONTHS), and print each rule's months, cutoff and rows."
        " With --dry-run, only count the rows."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        outcomes = apply_retention_rules(dry_run=dry_run)
        verb = "would change" if dry_run else "changed"
        width = max((len(outcome.code) for outcome in outcomes), default=4)
        self.stdout.write(f"{'rule':<{width}}  months  cutoff                     rows {verb}")
        for outcome in outcomes:
            rows = "FAILED" if outcome.failed else str(outcome.rows)
            self.stdout.write(
                f"{outcome.code:<{width}}  {outcome.months:>6}  "
                f"{outcome.cutoff.isoformat(timespec='seconds'):<25}  {rows:>9}"
            )
        total = sum(outcome.rows for outcome in outcomes)
        summary = f"{total} rows {verb} by {len(outcomes)} rules"
        self.stdout.write(self.style.SUCCESS(summary + (" (dry run)." if dry_run else ".")))
        failed = [outcome.code for outcome in outcomes if outcome.failed]
        if failed:
            raise CommandError(f"Retention rules failed (see the log): {', '.join(failed)}.")
