"""`manage.py verify_audit_log`: check the audit log's hash chain, then seal new lines."""

from __future__ import annotations

from argparse import ArgumentTypeError
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityhall.core.audit_chain import seal_audit_log, verify_chain


def _anchor(value: str) -> tuple[int, str]:
    """POSITION:HASH, as the sealer logs it."""
    position, _, digest = value.partition(":")
    if not position.isdigit() or len(digest) != 64:
        raise ArgumentTypeError(f"not POSITION:HASH: {value!r}")
    return int(position), digest.lower()


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: report every edited, deleted, inserted or moved"
        " line, a deleted tail, and lines left unsealed; exit 1 if anything is wrong. Then"
        " seal the lines written since the last sealing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--anchor",
            type=_anchor,
            help="POSITION:HASH of a line as logged by the sealer, kept outside the database.",
        )
        parser.add_argument(
            "--no-seal", action="store_true", help="Only verify; leave unsealed lines as they are."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(anchor=options["anchor"])
        for problem in report.problems:
            where = f"position {problem.position}: " if problem.position is not None else ""
            self.stderr.write(f"{problem.kind}: {where}{problem.detail}")
        for kind, count in report.omitted.items():
            self.stderr.write(f"{kind}: {count} more not listed")
        sealed = 0 if options["no_seal"] else seal_audit_log()
        self.stdout.write(
            f"Checked {report.checked} sealed lines; head at position {report.head_position}"
            f" ({report.head_hash or 'empty'}); sealed {sealed} new lines."
        )
        if not report.is_intact:
            problems = len(report.problems) + sum(report.omitted.values())
            raise CommandError(f"The audit log is not intact: {problems} problems.", returncode=1)
        self.stdout.write(self.style.SUCCESS("The audit log is intact."))
