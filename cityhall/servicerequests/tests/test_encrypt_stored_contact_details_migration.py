"""The migration encrypts the contact details and free text already stored, and undoes it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.selectors import service_requests_with_contact_email

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("servicerequests", "0009_follow_up_each_filing_once")]
AFTER = [("servicerequests", "0012_require_a_digest_for_each_contact_email")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_encryption() -> Iterator[Any]:
    service = ServiceFactory(department__code="public-works")
    old_apps = _migrate(BEFORE)
    try:
        yield old_apps, service
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _stored_row(pk: int) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_email, contact_phone, description, contact_email_digest"
            " FROM servicerequests_servicerequest WHERE id = %s",
            [pk],
        )
        return tuple(cursor.fetchone())


def test_stored_rows_are_encrypted_then_decrypted_back(before_encryption):
    old_apps, service = before_encryption
    old_request = old_apps.get_model("servicerequests", "ServiceRequest")
    old_comment = old_apps.get_model("servicerequests", "Comment")
    plain = [
        old_request.objects.create(
            tracking_number=f"TST-26-{number:06d}",
            service_id=service.pk,
            department_id=service.department_id,
            channel="portal",
            contact_name="Ana Tremblay" if number % 2 else "",
            contact_email=f"ana{number}@example.org" if number % 2 else "",
            contact_phone="514 555-0199",
            description=f"Pothole number {number}",
        )
        for number in range(3)
    ]
    comment = old_comment.objects.create(service_request_id=plain[0].pk, body="Still there")

    _migrate(AFTER)

    name, email, phone, description, digest = _stored_row(plain[1].pk)
    assert all(value.startswith("e1:") for value in (name, email, phone, description))
    assert "Tremblay" not in name
    assert _stored_row(plain[0].pk)[:2] == ("", "")
    assert _stored_row(plain[0].pk)[4] == ""
    assert digest
    reloaded = ServiceRequest.objects.get(pk=plain[1].pk)
    assert (reloaded.contact_name, reloaded.description) == ("Ana Tremblay", "Pothole number 1")
    assert list(service_requests_with_contact_email(email="ANA1@example.org")) == [reloaded]
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM servicerequests_comment WHERE id = %s", [comment.pk])
        assert cursor.fetchone()[0].startswith("e1:")

    _migrate(BEFORE)

    assert _stored_row_before(plain[1].pk) == (
        "Ana Tremblay",
        "ana1@example.org",
        "514 555-0199",
        "Pothole number 1",
    )


def _stored_row_before(pk: int) -> tuple[str, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_email, contact_phone, description"
            " FROM servicerequests_servicerequest WHERE id = %s",
            [pk],
        )
        return tuple(cursor.fetchone())
