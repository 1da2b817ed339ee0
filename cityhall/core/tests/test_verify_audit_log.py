"""`verify_audit_log` passes on an intact chain and names every kind of tampering.

Tampering is done by raw SQL, as someone with database access would; on PostgreSQL the
append-only trigger is switched off for the test's transaction first (its own test is in
test_audit_log_is_append_only.py).
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from cityhall.core.audit import record_audit_event
from cityhall.core.audit_chain import seal_audit_log, verify_chain
from cityhall.core.models import AuditChainHead, AuditEvent


@pytest.fixture
def chain(db, agent):
    """Six sealed lines (positions 1 to 6), tamperable by raw SQL."""
    for number in range(6):
        record_audit_event(actor=agent, action="tests.something_done", data={"n": number})
    assert seal_audit_log() == 6
    if connection.vendor == "postgresql":
        # Ordinary triggers do not fire for a replica's session: the append-only one is off
        # until the test's transaction rolls back.
        sql("SET LOCAL session_replication_role = replica")
    return agent


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def kinds():
    return {problem.kind for problem in verify_chain().problems}


def verify_fails():
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_log", stdout=StringIO(), stderr=StringIO())
    return failure.value


def test_an_intact_chain_verifies_and_the_command_says_so(chain):
    out = StringIO()

    call_command("verify_audit_log", stdout=out, stderr=StringIO())

    assert "Checked 6 sealed lines" in out.getvalue()
    assert "intact" in out.getvalue()
    assert verify_chain().is_intact


def test_the_command_seals_lines_written_since_the_last_sealing(chain):
    record_audit_event(actor=chain, action="tests.something_else_done")

    call_command("verify_audit_log", stdout=StringIO(), stderr=StringIO())

    assert not AuditEvent.objects.filter(chain_position__isnull=True).exists()
    assert AuditChainHead.objects.get().position == 7
    assert verify_chain().is_intact


def test_an_edited_line_is_detected(chain):
    sql(
        "UPDATE core_auditevent SET data = %s WHERE chain_position = 3",
        [json.dumps({"n": 99})],
    )

    assert kinds() == {"edited"}
    assert verify_fails().returncode == 1


def test_an_edited_time_is_detected(chain):
    sql(
        "UPDATE core_auditevent SET created_at = %s WHERE chain_position = 2",
        [timezone.now() - timedelta(days=400)],
    )

    assert kinds() == {"edited"}


def test_a_line_given_to_another_actor_is_detected(chain, supervisor):
    sql("UPDATE core_auditevent SET actor_id = %s WHERE chain_position = 4", [supervisor.pk])

    assert kinds() == {"edited"}


def test_an_account_deleted_after_writing_leaves_the_chain_intact(chain):
    chain.delete()

    assert verify_chain().is_intact


def test_a_deleted_line_is_detected(chain):
    sql("DELETE FROM core_auditevent WHERE chain_position = 4")

    problems = verify_chain().problems
    assert [(problem.kind, problem.position) for problem in problems] == [("missing", 4)]
    verify_fails()


def test_a_truncated_tail_is_detected(chain):
    sql("DELETE FROM core_auditevent WHERE chain_position >= 5")

    problems = verify_chain().problems
    assert [(problem.kind, problem.position) for problem in problems] == [("truncated", 5)]


def test_a_swapped_pair_is_detected(chain):
    sql("UPDATE core_auditevent SET chain_position = 100 WHERE chain_position = 2")
    sql("UPDATE core_auditevent SET chain_position = 2 WHERE chain_position = 3")
    sql("UPDATE core_auditevent SET chain_position = 3 WHERE chain_position = 100")

    report = verify_chain()
    assert {"broken_link", "edited"} <= {problem.kind for problem in report.problems}
    assert {problem.position for problem in report.problems} <= {2, 3, 4}


def test_an_inserted_forged_line_is_detected(chain):
    # The forger copies the hash fields of line 3 into a new line at 4 and shifts the rest up.
    shift = (
        "UPDATE core_auditevent SET chain_position = chain_position + %s WHERE chain_position > %s"
    )
    sql(shift, [100, 3])
    sql(shift, [-99, 100])
    sql(
        "INSERT INTO core_auditevent (action, target_type, target_id, data, created_at,"
        " chain_position, previous_hash, line_hash)"
        " SELECT 'accounts.signed_in', '', '', '{}', created_at, 4, line_hash, line_hash"
        " FROM core_auditevent WHERE chain_position = 3"
    )

    report = verify_chain()
    assert "edited" in {problem.kind for problem in report.problems}
    assert any(problem.position == 4 for problem in report.problems)
    verify_fails()


def test_a_line_appended_past_the_head_is_detected(chain):
    sql(
        "INSERT INTO core_auditevent (action, target_type, target_id, data, created_at,"
        " chain_position, previous_hash, line_hash)"
        " SELECT 'accounts.signed_in', '', '', '{}', created_at, 7, line_hash, line_hash"
        " FROM core_auditevent WHERE chain_position = 6"
    )

    assert "beyond_head" in kinds()


def test_a_line_left_unsealed_for_long_is_reported(chain):
    event = record_audit_event(actor=chain, action="tests.something_else_done")
    later = timezone.now() + timedelta(minutes=30)

    report = verify_chain(now=later)

    assert [(problem.kind, problem.detail) for problem in report.problems] == [
        ("unsealed", f"line {event.pk} is still unsealed")
    ]


def test_an_anchor_kept_outside_the_database_catches_a_rewritten_chain(chain):
    third = AuditEvent.objects.get(chain_position=3)
    anchor = (3, third.line_hash)
    assert verify_chain(anchor=anchor).is_intact

    sql("UPDATE core_auditevent SET line_hash = %s WHERE chain_position = 3", ["f" * 64])

    assert "anchor" in {problem.kind for problem in verify_chain(anchor=anchor).problems}


def test_verification_walks_the_chain_in_batches(chain):
    assert verify_chain(batch_size=4).checked == 6
    sql("DELETE FROM core_auditevent WHERE chain_position = 5")

    assert [problem.kind for problem in verify_chain(batch_size=2).problems] == ["missing"]
