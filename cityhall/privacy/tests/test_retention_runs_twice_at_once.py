"""Two retention runs at once (two schedulers, or the command during the nightly job) do each row
once between them and neither fails."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from cityhall.accounts.tests.factories import UserFactory
from cityhall.notifications.models import Delivery, Notification
from cityhall.notifications.tests.factories import queued_email
from cityhall.privacy import batches
from cityhall.privacy.retention import RetentionOutcome, apply_retention_rules
from cityhall.servicerequests.models import ServiceRequest
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

ROWS = 120


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_share_the_rows_and_leave_them_as_one_run_would(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite lets one writer at a time anyway")
    monkeypatch.setattr(batches, "BATCH_IDS", 7)
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    citizen = UserFactory()
    for _ in range(ROWS):
        queued_email(citizen)
        ServiceRequestFactory(
            status="closed", closed_at=long_ago, resolved_at=long_ago, contact_phone="+15145550100"
        )
    Notification.objects.update(created_at=long_ago)
    Delivery.objects.update(created_at=long_ago, status="delivered")
    start = threading.Barrier(2)
    reports: list[list[RetentionOutcome]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(apply_retention_rules())
        except BaseException as error:  # reported by the assertions below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    done: dict[str, int] = {}
    for report in reports:
        for outcome in report:
            done[outcome.code] = done.get(outcome.code, 0) + outcome.rows
    assert done["notifications.notifications"] + done["notifications.delivery_log"] == 2 * ROWS
    assert done["servicerequests.closed_request_contacts"] == ROWS
    assert not Notification.objects.exists()
    assert not ServiceRequest.objects.exclude(contact_phone="").exists()
