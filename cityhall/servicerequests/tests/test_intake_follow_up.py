"""What a filing leaves to `follow_up_submission`, and how it is queued with the filing."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from cityhall.catalog.tests.factories import ServiceFactory
from cityhall.places.h3cells import cell_for
from cityhall.servicerequests.models import DuplicateCandidate, ServiceRequest
from cityhall.servicerequests.services import Contact, Location, submit_service_request
from cityhall.servicerequests.tasks import follow_up_submission
from cityhall.servicerequests.tests.factories import ServiceRequestFactory

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}
HERE = (45.5100, -73.5900)


@pytest.fixture
def pothole(db):
    return ServiceFactory(code="pothole", duplicate_radius_m=50, duplicate_window_hours=72)


def submit(service):
    return submit_service_request(
        reporter=None, service=service, description="Deep pothole by the school gate",
        answers={}, location=Location(*HERE), contact=Contact(email="someone@example.org"),
        channel=ServiceRequest.Channel.OPEN311, client_token="open311:test",
    )  # fmt: skip


def earlier_report(service):
    return ServiceRequestFactory(
        service=service, latitude=HERE[0], longitude=HERE[1], h3_cell=cell_for(*HERE),
        description="Deep pothole by the school gate",
    )  # fmt: skip


def test_with_the_database_backend_the_follow_up_is_written_in_the_filings_transaction(
    pothole, settings
):
    settings.TASKS = DATABASE_TASKS
    queued = []

    def filing_that_rolls_back():
        with transaction.atomic():
            service_request = submit(pothole)
            queued.append((service_request.id, DBTaskResult.objects.get()))
            raise RuntimeError("the filing's transaction rolls back")

    with pytest.raises(RuntimeError):
        filing_that_rolls_back()

    ((service_request_id, task),) = queued
    assert task.task_path.endswith("follow_up_submission")
    assert task.args_kwargs["args"] == [service_request_id]
    assert not DBTaskResult.objects.exists()  # gone with the filing: no task for a ghost


def test_the_citizen_does_not_wait_for_duplicates_nor_the_email(
    pothole, mailoutbox, django_capture_on_commit_callbacks
):
    earlier = earlier_report(pothole)

    with django_capture_on_commit_callbacks(execute=True):
        service_request = submit(pothole)
        assert not DuplicateCandidate.objects.exists()
        assert mailoutbox == []

    assert service_request.duplicate_candidates.get().candidate == earlier
    assert mailoutbox[0].to == ["someone@example.org"]


def test_a_rerun_follow_up_neither_notes_the_candidates_nor_confirms_twice(pothole, mailoutbox):
    earlier_report(pothole)
    service_request = submit(pothole)

    first = follow_up_submission.call(service_request.id)
    again = follow_up_submission.call(service_request.id)

    assert first == {"duplicate_candidates": 1, "confirmed": True}
    assert again == {"duplicate_candidates": 0, "confirmed": False}
    assert DuplicateCandidate.objects.count() == 1
    assert len(mailoutbox) == 1


def test_a_follow_up_for_an_erased_request_does_nothing(db, mailoutbox):
    assert follow_up_submission.call(123456) == {"duplicate_candidates": 0, "confirmed": False}
    assert mailoutbox == []
