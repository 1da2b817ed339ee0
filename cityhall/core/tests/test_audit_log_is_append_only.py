"""On PostgreSQL the database itself refuses to edit or delete audit lines; writers never wait
on each other; and nothing in the code base updates or deletes audit lines."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext

from cityhall.core.audit import record_audit_event
from cityhall.core.audit_chain import seal_audit_log, verify_chain
from cityhall.core.models import AuditChainHead, AuditEvent

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite has no append-only trigger")


@pytest.fixture
def sealed_line(db, agent):
    event = record_audit_event(actor=agent, action="tests.something_done", ip_address="10.0.0.1")
    seal_audit_log()
    event.refresh_from_db()
    return event


def refused(statement, params=()):
    with (
        pytest.raises(DatabaseError, match=r"append-only|only moves forward"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_the_database_refuses_to_delete_an_audit_line(postgres_only, sealed_line):
    refused("DELETE FROM core_auditevent WHERE id = %s", [sealed_line.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=sealed_line.pk).delete()


@pytest.mark.parametrize(
    "assignment",
    [
        "action = 'accounts.signed_in'",
        "data = '{\"n\": 1}'",
        "target_id = 'forged'",
        "created_at = created_at - interval '1 day'",
        "recorded_actor_id = NULL",
        "line_hash = repeat('0', 64)",
        "chain_position = 99",
        "ip_address = '10.9.9.9'",
    ],
)
def test_the_database_refuses_to_change_what_a_line_says(postgres_only, sealed_line, assignment):
    refused(f"UPDATE core_auditevent SET {assignment} WHERE id = %s", [sealed_line.pk])  # noqa: S608


def test_retention_may_clear_the_address_and_a_deleted_account_its_actor(
    postgres_only, sealed_line, agent
):
    AuditEvent.objects.filter(pk=sealed_line.pk).update(ip_address=None)
    agent.delete()

    sealed_line.refresh_from_db()
    assert (sealed_line.ip_address, sealed_line.actor_id) == (None, None)
    assert verify_chain().is_intact


def test_the_chain_head_cannot_move_back_or_go(postgres_only, sealed_line):
    refused("UPDATE core_auditchainhead SET position = 0")
    refused("DELETE FROM core_auditchainhead")
    assert AuditChainHead.objects.get().position == 1


def test_writing_an_audit_line_is_one_insert_and_takes_no_lock(db, agent):
    with CaptureQueriesContext(connection) as queries:
        record_audit_event(actor=agent, action="tests.something_done")

    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 1
    assert statements[0].startswith("INSERT")
    assert "FOR UPDATE" not in statements[0]


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_are_not_serialised(postgres_only, agent):
    # The first writer keeps its transaction open; the second must still write and commit.
    first_wrote, second_done = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                record_audit_event(actor=agent, action="tests.first")
                first_wrote.set()
                assert second_done.wait(timeout=10), "the second writer waited for the first"
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_wrote.wait(timeout=10)
            with transaction.atomic():
                record_audit_event(actor=agent, action="tests.second")
            second_done.set()
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert failures == []
    assert seal_audit_log() == 2
    assert verify_chain().is_intact


UPDATING_AUDIT_LINES = re.compile(
    r"^.*(AuditEvent\.objects.*\.(update|delete|bulk_update)\(|core_auditevent.*(UPDATE|DELETE)).*$",
    re.IGNORECASE | re.MULTILINE,
)


def test_nothing_but_the_sealer_and_retention_update_or_delete_audit_lines():
    # Retention may clear the address (`.update(ip_address=None)`); nothing else may write.
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in (ROOT / "cityhall").rglob("*.py")
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path.name != "audit_chain.py"
        for match in UPDATING_AUDIT_LINES.finditer(path.read_text())
        if "update(ip_address=None)" not in match.group(0)
    ]
    assert offenders == []
