"""The audit log's hash chain: sealing lines into it, and verifying it (docs/decisions/0019).

Writers append lines unsealed and take no lock, so a hundred filings a second never queue on
the log. `seal_audit_log` (every minute, and at the end of `manage.py verify_audit_log`)
takes the unsealed lines in id order under the chain head's row lock and gives each a
position, the previous line's hash and its own hash: SHA-256 over a canonical JSON of what
the line says. `verify_audit_log` walks the chain by position and names every line that was
edited, removed, inserted or moved, a tail cut off behind the head, and lines left unsealed
for longer than the sealer takes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from cityhall.core.models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

#: The "previous hash" of the first line.
GENESIS_HASH = "0" * 64
#: Lines sealed per transaction, so that no sealing holds the head's lock for long.
SEAL_BATCH = 2_000
#: Lines read per query while verifying (one index range scan each).
VERIFY_BATCH = 5_000
#: How long a line may stay unsealed before verification reports it: the sealer runs every
#: minute, so a line older than this was missed (sealer down) or slipped in behind its back.
UNSEALED_GRACE = timedelta(minutes=5)
#: Problems of one kind listed in full; the rest are counted.
LISTED_PER_KIND = 20

CHAIN_COLUMNS = ["chain_position", "previous_hash", "line_hash"]
HASHED_COLUMNS = [
    "id",
    "recorded_actor_id",
    "actor",
    "action",
    "target_type",
    "target_id",
    "data",
    "created_at",
]


def line_hash(  # noqa: PLR0913 (each argument is one hashed column)
    *,
    position: int,
    previous_hash: str,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    data: Any,
    created_at: datetime,
) -> str:
    """The SHA-256 (hex) of one line's canonical JSON: keys sorted, no spaces, UTF-8, the
    time in UTC to the microsecond. Anyone can recompute it from an export of the log."""
    canonical = json.dumps(
        {
            "position": position,
            "previous_hash": previous_hash,
            "actor_id": actor_id,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "data": data,
            "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hash_of(event: AuditEvent, *, position: int, previous_hash: str) -> str:
    return line_hash(
        position=position,
        previous_hash=previous_hash,
        actor_id=event.recorded_actor_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        data=event.data,
        created_at=event.created_at,
    )


def _locked_head() -> AuditChainHead:
    # The row may be missing on a fresh (or flushed) database; two sealers creating it at
    # once both succeed, one of them as a no-op, and then queue on its lock.
    AuditChainHead.objects.bulk_create([AuditChainHead(pk=1)], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(pk=1)


def seal_audit_log(*, batch_size: int = SEAL_BATCH) -> int:
    """Seal every unsealed line into the chain, in id order; return how many were sealed.

    Runs one transaction per batch under the head's row lock, so two sealers never give out
    the same position. Only the chain columns are written. The new head is logged, so that a
    copy of it lives outside the database (an anchor for `verify_audit_log --anchor`).
    """
    sealed = 0
    while True:
        with transaction.atomic():
            head = _locked_head()
            lines = list(
                AuditEvent.objects.filter(chain_position__isnull=True)
                .order_by("id")
                .only(*HASHED_COLUMNS)[:batch_size]
            )
            position, previous = head.position, head.line_hash or GENESIS_HASH
            for event in lines:
                position += 1
                event.chain_position = position
                event.previous_hash = previous
                event.line_hash = previous = _hash_of(
                    event, position=position, previous_hash=previous
                )
            if lines:
                _write_chain_columns(lines)
                head.position, head.line_hash = position, previous
                head.save(update_fields=["position", "line_hash", "updated_at"])
        sealed += len(lines)
        if len(lines) < batch_size:
            if sealed:
                logger.info("audit chain head: position %d hash %s", position, previous)
            return sealed


def _write_chain_columns(lines: list[AuditEvent]) -> None:
    # One prepared UPDATE per line, sent as a batch: Django's bulk_update builds a CASE per
    # column whose cost grows with the batch squared, ten times slower at 2,000 lines.
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET chain_position = %s, previous_hash = %s, line_hash = %s"  # noqa: S608 (the table's own name)  # nosec B608
            " WHERE id = %s AND chain_position IS NULL",
            [(line.chain_position, line.previous_hash, line.line_hash, line.pk) for line in lines],
        )


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with the chain. `kind` is one of: edited, missing, broken_link,
    beyond_head, truncated, no_head, anchor, unsealed."""

    kind: str
    position: int | None
    detail: str


@dataclass
class ChainReport:
    """What `verify_chain` found: lines checked, the head, and the problems (if any)."""

    checked: int = 0
    head_position: int = 0
    head_hash: str = ""
    problems: list[ChainProblem] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)

    @property
    def is_intact(self) -> bool:
        return not self.problems

    def add(self, kind: str, position: int | None, detail: str) -> None:
        listed = sum(1 for problem in self.problems if problem.kind == kind)
        if listed < LISTED_PER_KIND:
            self.problems.append(ChainProblem(kind, position, detail))
        else:
            self.omitted[kind] = self.omitted.get(kind, 0) + 1


def _sealed_lines(batch_size: int) -> Iterator[AuditEvent]:
    # Rows as tuples, each made into an unsaved AuditEvent: a third of the cost of model
    # loading, which matters over a million lines.
    after = 0
    columns = ["id", "recorded_actor_id", "actor_id", "action", "target_type", "target_id"]
    columns += ["data", "created_at", *CHAIN_COLUMNS]
    while True:
        batch = list(
            AuditEvent.objects.filter(chain_position__gt=after)
            .order_by("chain_position")
            .values_list(*columns)[:batch_size]
        )
        for row in batch:
            yield AuditEvent(**dict(zip(columns, row, strict=True)))
        if len(batch) < batch_size:
            return
        after = batch[-1][-3]


def _check_line(report: ChainReport, event: AuditEvent, expected: int, previous: str) -> None:
    position = event.chain_position or 0
    if position > expected:
        gap = f"{expected}" if position == expected + 1 else f"{expected} to {position - 1}"
        report.add("missing", expected, f"no line at position {gap} (deleted)")
    elif event.previous_hash != previous:
        report.add(
            "broken_link",
            position,
            f"line {event.pk} does not follow the line before it (reordered or inserted)",
        )
    if _hash_of(event, position=position, previous_hash=event.previous_hash) != event.line_hash:
        report.add("edited", position, f"line {event.pk} does not match its hash (edited)")
    if event.actor_id is not None and event.actor_id != event.recorded_actor_id:
        report.add("edited", position, f"line {event.pk} names another actor (edited)")


def verify_chain(
    *,
    now: datetime | None = None,
    anchor: tuple[int, str] | None = None,
    batch_size: int = VERIFY_BATCH,
) -> ChainReport:
    """Walk the sealed lines by position and report what does not hold.

    Each line must come right after the one before (no gap), carry its predecessor's hash,
    and match its own hash; the last line must be the head. `anchor` (a position and the hash
    logged for it) checks the chain against a copy kept outside the database. Unsealed lines
    older than UNSEALED_GRACE are reported too. Reads only; seals nothing.
    """
    now = now or timezone.now()
    report = ChainReport()
    head = AuditChainHead.objects.filter(pk=1).first()
    report.head_position = head.position if head else 0
    report.head_hash = head.line_hash if head else ""
    expected, previous = 1, GENESIS_HASH
    for event in _sealed_lines(batch_size):
        position = event.chain_position or 0
        _check_line(report, event, expected, previous)
        if anchor is not None and position == anchor[0] and event.line_hash != anchor[1]:
            report.add("anchor", position, "the line's hash differs from the anchor")
        if head is None or position > head.position:
            report.add("beyond_head", position, f"line {event.pk} is past the chain head")
        report.checked += 1
        expected, previous = position + 1, event.line_hash
    last = expected - 1
    if head is None and last:
        report.add("no_head", None, "the chain head is missing")
    elif head is not None and last < head.position:
        report.add(
            "truncated",
            last + 1,
            f"the chain ends at {last} but its head is at {head.position} (tail deleted)",
        )
    elif head is not None and last and last == head.position and previous != head.line_hash:
        report.add("truncated", last, "the last line's hash differs from the head's")
    if anchor is not None and anchor[0] > last:
        report.add("anchor", anchor[0], "the anchored position is no longer in the chain")
    stale = AuditEvent.objects.filter(
        chain_position__isnull=True, created_at__lt=now - UNSEALED_GRACE
    ).order_by("id")
    for event_id in stale.values_list("id", flat=True)[:LISTED_PER_KIND]:
        report.add("unsealed", None, f"line {event_id} is still unsealed")
    unlisted = stale.count() - LISTED_PER_KIND
    if unlisted > 0:
        report.omitted["unsealed"] = unlisted
    return report
